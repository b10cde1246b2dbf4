"""Pathway's typing rules for operators (observed on Pathway 0.33), and their Plan operator.

>>> binary_result("add", dt.INT, dt.FLOAT)[0]
FLOAT
>>> binary_result("add", dt.Optional(dt.INT), dt.INT)[0] is None
True
"""

from __future__ import annotations

from towpath.internals import dtype as dt

PLAN_OPS = {
    "add": "Add", "sub": "Sub", "mul": "Mul", "truediv": "TrueDiv", "floordiv": "FloorDiv",
    "mod": "Mod", "pow": "Pow", "eq": "Eq", "ne": "Ne", "lt": "Lt", "le": "Le", "gt": "Gt",
    "ge": "Ge", "and": "And", "or": "Or", "xor": "Xor", "lshift": "Mul", "rshift": "FloorDiv",
}

INT, FLOAT, STR, BOOL = dt.INT, dt.FLOAT, dt.STR, dt.BOOL
DTN, DTU, DUR = dt.DATE_TIME_NAIVE, dt.DATE_TIME_UTC, dt.DURATION

# Non-numeric arithmetic: (op, left, right) -> result.
_SPECIAL = {
    ("add", STR, STR): STR,
    ("add", DTN, DUR): DTN, ("add", DTU, DUR): DTU,
    ("add", DUR, DTN): DTN, ("add", DUR, DTU): DTU, ("add", DUR, DUR): DUR,
    ("sub", DTN, DTN): DUR, ("sub", DTN, DUR): DTN, ("sub", DTU, DTU): DUR,
    ("sub", DTU, DUR): DTU, ("sub", DUR, DUR): DUR,
    ("mul", INT, STR): STR, ("mul", STR, INT): STR,
    ("mul", INT, DUR): DUR, ("mul", FLOAT, DUR): DUR, ("mul", DUR, INT): DUR,
    ("mul", DUR, FLOAT): DUR,
    ("truediv", DUR, INT): DUR, ("truediv", DUR, FLOAT): DUR, ("truediv", DUR, DUR): FLOAT,
    ("floordiv", DUR, INT): DUR, ("floordiv", DUR, DUR): INT,
    ("mod", DUR, DUR): DUR,
}


def binary_result(op: str, left: dt.DType, right: dt.DType) -> tuple[dt.DType | None, str, bool]:
    """(result type or None if unsupported, Plan operator, swap operands)."""
    plan_op = PLAN_OPS[op]
    if op in ("eq", "ne"):
        return (BOOL if dt.comparable(left, right) else None), plan_op, False
    if op in ("lt", "le", "gt", "ge"):
        return (BOOL if dt.orderable(left, right) else None), plan_op, False
    if op in ("and", "or", "xor"):
        if left == BOOL and right == BOOL:
            return BOOL, plan_op, False
        if left == INT and right == INT:
            return INT, plan_op, False
        return None, plan_op, False
    if op in ("lshift", "rshift"):
        return (INT if left == INT and right == INT else None), plan_op, False
    if dt.is_numeric(left) and dt.is_numeric(right):
        if op == "truediv":
            return FLOAT, plan_op, False
        return (INT if left == INT and right == INT else FLOAT), plan_op, False
    return _SPECIAL.get((op, left, right)), plan_op, False


def unary_result(op: str, arg: dt.DType) -> tuple[dt.DType | None, str]:
    """(result type or None if unsupported, Plan operator)."""
    if op == "neg":
        return (arg if arg in (INT, FLOAT, DUR) else None), "Neg"
    if op == "inv":
        return (BOOL if arg == BOOL else None), "Not"
    if op == "is_none":
        return BOOL, "IsNone"
    if op == "is_not_none":
        return BOOL, "IsNotNone"
    raise ValueError(op)
