"""Two Aralia benchmark fault trees, transcribed with their published results (test data).

Transcribed, not vendored: the gate structure comes from the Aralia benchmark set as
distributed with SCRAM (rakhimov/scram, ``input/Aralia/chinese.txt`` and
``input/Aralia/baobab1.txt``), the basic-event probabilities from SCRAM's
``input/Chinese/chinese-basic-events.xml`` and ``input/Baobab/baobab1-basic-events.xml``, and the
published results from SCRAM's ``tests/bench_chinese_tree_tests.cc`` and
``tests/bench_baobab1_tests.cc``:

* chinese: 25 basic events, exact top-event probability 0.0045691 (SCRAM's tolerance 1e-5),
  392 minimal cut sets (12 of order 2, 24 of order 4, 188 of order 5, 168 of order 6);
* baobab1: 61 basic events, 84 gates, exact probability 1.2823e-6 (tolerance 1e-8),
  46,188 minimal cut sets, by order 1..11: 0, 1, 1, 70, 400, 2212, 14748, 8460, 10624,
  6600, 3072 (up to order 6: 2684).

Used by ``test_portfolios_openpsa.py`` and ``benchmarks/bench_portfolios_bdd.py``.
"""

import re

CHINESE_P = {f"e{i}": 0.02 for i in range(1, 26)}
CHINESE_PROBABILITY = 0.0045691
CHINESE_CUT_SETS = {2: 12, 4: 24, 5: 188, 6: 168}
BAOBAB1_PROBABILITY = 1.2823e-6
BAOBAB1_CUT_SETS = dict(
    zip(range(1, 12), [0, 1, 1, 70, 400, 2212, 14748, 8460, 10624, 6600, 3072], strict=True)
)


def mef(gates, probabilities, extra=""):
    """MEF text from {gate: xml formula} and {basic event: p}."""
    body = "".join(f'<define-gate name="{g}">{f}</define-gate>' for g, f in gates.items())
    data = "".join(
        f'<define-basic-event name="{b}"><float value="{p}"/></define-basic-event>'
        for b, p in probabilities.items()
    )
    return (
        '<?xml version="1.0"?><opsa-mef><define-fault-tree name="t">'
        f"{body}</define-fault-tree><model-data>{data}</model-data>{extra}</opsa-mef>"
    )


def aralia(text):
    """Aralia notation (g:=(a & b), g:=(a | b), g:=@(k,[a,b,c])) to MEF gate formulas."""
    gates = {}
    for line in text.strip().splitlines():
        name, rhs = line.strip().split(":=")
        if m := re.fullmatch(r"@\((\d+),\[(.*)\]\)", rhs):
            args = "".join(f'<event name="{a}"/>' for a in m.group(2).split(","))
            gates[name] = f'<atleast min="{m.group(1)}">{args}</atleast>'
        else:
            op = "and" if "&" in rhs else "or"
            args = re.split(r"\s*[&|]\s*", rhs.strip("()"))
            gates[name] = f"<{op}>" + "".join(f'<event name="{a}"/>' for a in args) + f"</{op}>"
    return gates


CHINESE = """
r1:=(g1 & g2)
g1:=(e1 | e2 | e3 | g3)
g2:=(g4 & g5)
g3:=(g6 & g7)
g4:=(e4 | e5 | e6 | e7 | g8)
g5:=(e8 | g9)
g6:=(e9 | e10 | e11 | g10)
g7:=(e12 | e13)
g8:=(g11 & g12)
g9:=(g13 & g14)
g10:=(g15 & g16)
g11:=(e14 | e15 | e16 | g17)
g12:=(g18 & g19)
g13:=(e1 | e2 | e3 | g20)
g14:=(e4 | e5 | e6 | e7 | g21)
g15:=(e17 | e18)
g16:=(e19 | e20 | e21)
g17:=(g22 & g23)
g18:=(e22 | e23)
g19:=(e24 | e25)
g20:=(g24 & g25)
g21:=(g26 & g27)
g22:=(e17 | e18 | e21)
g23:=(e19 | e20)
g24:=(e14 | e15 | e16 | g28)
g25:=(g29 & g30)
g26:=(e9 | e10 | e11 | g31)
g27:=(e12 | e13)
g28:=(g32 & g33)
g29:=(e22 | e23)
g30:=(e24 | e25)
g31:=(g34 & g35)
g32:=(e17 | e18 | e21)
g33:=(e19 | e20)
g34:=(e19 | e20 | e21)
g35:=(e17 | e18)
"""


BAOBAB1 = """
r1:=(g1 & g2 & g3)
g1:=(g4 | g5 | g37 | e1)
g2:=(g25 | g26 | g27)
g3:=(g4 | g5 | g6 | e1)
g4:=@(3,[g60,g61,g62,g63])
g5:=@(3,[g56,g57,g58,g59])
g6:=(g7 & g8 & g9 & g10)
g7:=(g22 | g23 | g17 | g24 | e5)
g8:=(g19 | g20 | g13 | g21 | e4)
g9:=(g15 | g16 | g17 | g18 | e3)
g10:=(g11 | g12 | g13 | g14 | e2)
g11:=(e53 & e58)
g12:=(e53 & e54)
g13:=(g46 | e15)
g14:=(g11 | g32 | e10)
g15:=(e53 & e59)
g16:=(e53 & e56)
g17:=(g47 | e16)
g18:=(g15 | g33 | e11)
g19:=(e53 & e60)
g20:=(e53 & e55)
g21:=(g19 | g32 | e12)
g22:=(e53 & e61)
g23:=(e53 & e57)
g24:=(g22 | g33 | e13)
g25:=@(3,[g80,g81,g82,g83])
g26:=(g44 | g45 | e14)
g27:=@(3,[g28,g29,g30,g31])
g28:=(g22 | g24 | e9)
g29:=(g19 | g21 | e8)
g30:=(g15 | g18 | e7)
g31:=(g11 | g14 | e6)
g32:=(g34 & g35)
g33:=(g36 & g35)
g34:=(g48 & g49)
g35:=(g42 | g43)
g36:=(g50 & g51)
g37:=@(2,[g38,g39,g40,g41])
g38:=(g23 | g17 | e5)
g39:=(g16 | g17 | e3)
g40:=(g20 | g13 | e4)
g41:=(g12 | g13 | e2)
g42:=@(3,[g68,g69,g70,g71])
g43:=@(3,[g64,g65,g66,g67])
g44:=@(3,[g76,g77,g78,g79])
g45:=@(3,[g72,g73,g74,g75])
g46:=(g52 & g53)
g47:=(g54 & g55)
g48:=(g20 | e19)
g49:=(g12 | e17)
g50:=(g23 | e20)
g51:=(g16 | e18)
g52:=(g20 | e31)
g53:=(g12 | e29)
g54:=(g23 | e32)
g55:=(g16 | e30)
g56:=(g23 | e24)
g57:=(g20 | e23)
g58:=(g16 | e22)
g59:=(g12 | e21)
g60:=(g23 | e28)
g61:=(g20 | e27)
g62:=(g16 | e26)
g63:=(g12 | e25)
g64:=(g22 | e36)
g65:=(g19 | e35)
g66:=(g15 | e34)
g67:=(g11 | e33)
g68:=(g22 | e40)
g69:=(g19 | e39)
g70:=(g15 | e38)
g71:=(g11 | e37)
g72:=(g22 | e44)
g73:=(g19 | e43)
g74:=(g15 | e42)
g75:=(g11 | e41)
g76:=(g22 | e48)
g77:=(g19 | e47)
g78:=(g15 | e46)
g79:=(g11 | e45)
g80:=(g22 | e52)
g81:=(g19 | e51)
g82:=(g15 | e50)
g83:=(g11 | e49)
"""

BAOBAB1_P = {
    **dict.fromkeys(["e1"], 0.000072),
    **dict.fromkeys(["e2", "e3", "e4", "e5"], 0.018),
    **dict.fromkeys(["e6", "e7", "e8", "e9"], 0.0188),
    **dict.fromkeys(["e10", "e11", "e12", "e13"], 0.015),
    "e14": 0.000008,
    **dict.fromkeys(["e15", "e16"], 0.00052),
    **dict.fromkeys(["e17", "e18"], 0.0117),
    **dict.fromkeys(["e19", "e20"], 0.0038),
    **dict.fromkeys([f"e{i}" for i in range(21, 29)], 0.016),
    **dict.fromkeys([f"e{i}" for i in range(29, 33)], 0.0137),
    **dict.fromkeys([f"e{i}" for i in range(33, 37)], 0.015),
    **dict.fromkeys([f"e{i}" for i in range(37, 41)], 0.016),
    **dict.fromkeys([f"e{i}" for i in range(41, 45)], 0.015),
    **dict.fromkeys([f"e{i}" for i in range(45, 49)], 0.0218),
    **dict.fromkeys([f"e{i}" for i in range(49, 53)], 0.016),
    "e53": 0.01,
    **dict.fromkeys([f"e{i}" for i in range(54, 58)], 0.112),
    **dict.fromkeys([f"e{i}" for i in range(58, 62)], 0.051),
}
