"""The arithmetic language of ``table: {assert: ...}`` rules: parsed, never ``eval``-ed.

Grammar, loosest first (a recursive-descent parser builds NamedTuple nodes)::

    or := and ("or" and)*          and := not ("and" not)*         not := "not" not | comparison
    comparison := sum [("==" | "!=" | "<" | "<=" | ">" | ">=") sum]
    sum := term (("+" | "-") term)*    term := unary (("*" | "/") unary)*
    unary := "-" unary | primary       primary := NUMBER | NAME | "(" or ")"

* ``1 + 2 * 3 == 7`` holds. **Comparisons do not chain**: ``a < b < c`` is a syntax error
  (write ``a < b and b < c``): Python and C read it differently, so we read it neither way.
* Types are checked while parsing: arithmetic and comparisons take numbers, ``and``/``or``/
  ``not`` take comparisons; ``1 + (a > b)`` and ``a and b`` are errors at their operator.
* **Numbers**: ``12``, ``0.35`` (ASCII digits). **Names**: a run of characters that are not
  blanks, not ``+-*/()=!<>`` and not quotes, not starting with an ASCII digit -- ``收到申请数``,
  ``行政复议数量/被依法纠错数``, ``本年新收政府信息公开申请数量[自然人]``. Full-width ``（）`` are
  name characters (``专职人员数（不包括…）`` needs no quotes); ASCII ``()`` group. A ``/`` directly
  between name characters joins a ``PARENT/LABEL`` path, so **write division with spaces**,
  ``a / b`` (``a/2`` divides too: a path segment never starts with a digit). Quote any other
  name with backticks or corner brackets: ```12345热线受理数```, ``「a+b」``. Names are normalised
  like labels (:func:`gklint.tables.labels.normalise_name`); ``and or not`` are keywords in any case.
* **Arithmetic** is exact (``decimal.Decimal``, 28 digits); division by zero makes the value
  :class:`Undefined` instead of raising. **Comparisons** round both sides to 2 decimal places
  (half up), so 万元 amounts compare as the table prints them. A comparison with an undefined
  side is undefined; ``and``/``or`` are three-valued (false and undefined is false).

There is no attribute access, call, indexing or assignment: ``__import__('os')``,
``().__class__``, ``a; import os`` and ``lambda: 0`` are syntax errors.
"""
from __future__ import annotations

import decimal
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from gklint.tables.labels import normalise_name

MAX_NESTING = 50  # parentheses, unary minus and not inside one another
MAX_TREE_DEPTH = 200  # a chain a + b + c … is as deep as it is long
_OPERATOR_CHARS = frozenset("+-*/()=!<>")
_QUOTES = {"`": "`", "「": "」"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TWO_CHAR_OPS = ("==", "!=", "<=", ">=")
_COMPARE_OPS = ("==", "!=", "<", "<=", ">", ">=")
_CENT = Decimal("0.01")


class ExprError(ValueError):
    """A syntax or type error at ``position`` (0-based character index into ``text``)."""

    def __init__(self, message: str, position: int, text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.text = text

    def __str__(self) -> str:
        return f"{self.message} (at column {self.position + 1})"

    @property
    def excerpt(self) -> str:
        """Up to 30 characters either side of the error, and a caret under it (wide characters
        count as two columns, as terminals draw them)."""
        start = max(self.text.rfind("\n", 0, self.position) + 1, self.position - 30)
        end = self.text.find("\n", self.position)
        end = min(len(self.text) if end < 0 else end, self.position + 30)
        before = ("..." if start > 0 and self.text[start - 1] != "\n" else "") + self.text[start:self.position]
        after = self.text[self.position:end] + ("..." if end < len(self.text) and self.text[end] != "\n" else "")
        pad = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in before)
        return f"{before}{after}\n{' ' * pad}^"


# --- the syntax tree -------------------------------------------------------------------------------

class Number(NamedTuple):
    value: Decimal
    text: str
    pos: int


class Name(NamedTuple):
    name: str  # normalised: the key into the values mapping
    text: str  # as written (without quotes), for messages
    pos: int


class Neg(NamedTuple):
    operand: Expr
    pos: int


class Arith(NamedTuple):
    op: str  # + - * /
    left: Expr
    right: Expr
    pos: int


class Compare(NamedTuple):
    op: str  # == != < <= > >=
    left: Expr
    right: Expr
    pos: int


class Logic(NamedTuple):
    op: str  # and | or
    operands: tuple[Expr, ...]
    pos: int


class Not(NamedTuple):
    operand: Expr
    pos: int


Expr = Number | Name | Neg | Arith | Compare | Logic | Not
_NUMERIC = (Number, Name, Neg, Arith)


class Undefined(NamedTuple):
    """The value of an expression that cannot be computed (division by zero)."""

    reason: str
    pos: int


Value = Decimal | bool | Undefined


# --- tokens --------------------------------------------------------------------------------------

class _Token(NamedTuple):
    kind: str  # num | name | op | and | or | not | end
    text: str
    pos: int


def _name_char(ch: str) -> bool:
    return not ch.isspace() and ch not in _OPERATOR_CHARS and ch not in "`「」"


def _tokenize(text: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif "0" <= ch <= "9":
            found = _NUMBER.match(text, i)
            assert found is not None
            end = found.end()
            if end < n and _name_char(text[end]):
                raise ExprError("a name cannot start with a digit; quote it: `…`", i, text)
            out.append(_Token("num", found.group(), i))
            i = end
        elif ch in _QUOTES:
            end = text.find(_QUOTES[ch], i + 1)
            if end < 0:
                raise ExprError(f"unclosed quote {ch}", i, text)
            if not text[i + 1:end].strip():
                raise ExprError("empty quoted name", i, text)
            out.append(_Token("name", text[i + 1:end], i))
            i = end + 1
        elif text.startswith(_TWO_CHAR_OPS, i):
            out.append(_Token("op", text[i:i + 2], i))
            i += 2
        elif ch in "+-*/()<>":
            out.append(_Token("op", ch, i))
            i += 1
        elif ch == "=":
            raise ExprError("'=' is not an operator: compare with '=='", i, text)
        elif ch == "!":
            raise ExprError("'!' is not an operator: write 'not' or '!='", i, text)
        elif ch == "」":
            raise ExprError("'」' without '「'", i, text)
        else:
            start = i
            while i < n and (_name_char(text[i]) or (
                    text[i] == "/" and i + 1 < n and _name_char(text[i + 1]) and not "0" <= text[i + 1] <= "9")):
                i += 1
            word = text[start:i]
            keyword = word.casefold()
            out.append(_Token(keyword if keyword in ("and", "or", "not") else "name", word, start))
    out.append(_Token("end", "", n))
    return out


# --- the parser ----------------------------------------------------------------------------------

class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0  # nesting, see nest()

    def error(self, message: str, pos: int) -> ExprError:
        return ExprError(message, pos, self.text)

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, *texts: str) -> bool:
        return self.tok.kind == kind and (not texts or self.tok.text in texts)

    def numeric(self, node: Expr, op: _Token) -> Expr:
        if not isinstance(node, _NUMERIC):
            raise self.error(f"'{op.text}' needs numbers on both sides, not a condition", op.pos)
        return node

    def condition(self, node: Expr, op: _Token) -> Expr:
        if isinstance(node, _NUMERIC):
            raise self.error(f"'{op.text}' needs conditions (comparisons) on both sides, not a number", op.pos)
        return node

    def parse(self) -> Expr:
        node = self.logic("or")
        if not self.at("end"):
            tok = self.tok
            if tok.text == "(":
                raise self.error("'(' after a value: there are no function calls", tok.pos)
            if tok.text == ")":
                raise self.error("')' without '('", tok.pos)
            if tok.kind in ("name", "num"):
                raise self.error(f"expected an operator before {tok.text!r}", tok.pos)
            raise self.error(f"unexpected {tok.text!r}", tok.pos)
        return node

    def logic(self, op: str) -> Expr:
        sub = (lambda: self.logic("and")) if op == "or" else self.negation
        first = sub()
        if not self.at(op):
            return first
        operands = [first]
        while self.at(op):
            tok = self.take()
            self.condition(operands[-1], tok)
            operands.append(self.condition(sub(), tok))
        return Logic(op, tuple(operands), _first_pos(operands[0]))

    def negation(self) -> Expr:
        if self.at("not"):
            tok = self.nest()
            node = Not(self.condition(self.negation(), tok), tok.pos)
            self.depth -= 1
            return node
        return self.comparison()

    def nest(self) -> _Token:
        """Take a token that opens a nesting level (``(``, unary ``-``, ``not``)."""
        tok = self.take()
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"nested more than {MAX_NESTING} levels deep", tok.pos)
        return tok

    def comparison(self) -> Expr:
        left = self.sum()
        if not self.at("op", *_COMPARE_OPS):
            return left
        tok = self.take()
        right = self.numeric(self.sum(), tok)
        if self.at("op", *_COMPARE_OPS):
            raise self.error("comparisons cannot be chained: write 'a < b and b < c'", self.tok.pos)
        return Compare(tok.text, self.numeric(left, tok), right, tok.pos)

    def sum(self) -> Expr:
        node = self.term()
        while self.at("op", "+", "-"):
            tok = self.take()
            node = Arith(tok.text, self.numeric(node, tok), self.numeric(self.term(), tok), tok.pos)
        return node

    def term(self) -> Expr:
        node = self.unary()
        while self.at("op", "*", "/"):
            tok = self.take()
            node = Arith(tok.text, self.numeric(node, tok), self.numeric(self.unary(), tok), tok.pos)
        return node

    def unary(self) -> Expr:
        if self.at("op", "-"):
            tok = self.nest()
            node: Expr = Neg(self.numeric(self.unary(), tok), tok.pos)
        elif self.at("op", "("):
            tok = self.nest()
            if self.at("op", ")"):
                raise self.error("empty parentheses", tok.pos)
            node = self.logic("or")
            if not self.at("op", ")"):
                raise self.error("'(' is never closed", tok.pos)
            self.take()
        else:
            return self.primary()
        self.depth -= 1
        return node

    def primary(self) -> Expr:
        tok = self.take()
        if tok.kind == "num":
            return Number(Decimal(tok.text), tok.text, tok.pos)
        if tok.kind == "name":
            return Name(normalise_name(tok.text), tok.text.strip(), tok.pos)
        if tok.kind == "end":
            raise self.error("the expression ends too early: expected a number, a name or '('", tok.pos)
        raise self.error(f"expected a number, a name or '(', found {tok.text!r}", tok.pos)


def _children(node: Expr) -> tuple[Expr, ...]:
    if isinstance(node, (Neg, Not)):
        return (node.operand,)
    if isinstance(node, (Arith, Compare)):
        return (node.left, node.right)
    return node.operands if isinstance(node, Logic) else ()


def _first_pos(node: Expr) -> int:
    if isinstance(node, (Arith, Compare)):
        return _first_pos(node.left)
    if isinstance(node, Logic):
        return _first_pos(node.operands[0])
    return node.pos


def parse(text: str) -> Expr:
    """The syntax tree of ``text``; ExprError (message, position) when it is not in the language."""
    if not text.strip():
        raise ExprError("the expression is empty", 0, text)
    tree = _Parser(text).parse()
    stack = [(tree, 1)]  # evaluation recurses, so the tree's depth is bounded (iteratively checked)
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise ExprError(f"the expression is more than {MAX_TREE_DEPTH} operations deep; "
                            "split it into several rules", _first_pos(node), text)
        stack.extend((child, depth + 1) for child in _children(node))
    return tree


def is_condition(expr: Expr) -> bool:
    """True when ``expr`` is a comparison or a combination of them (what an assert must be)."""
    return not isinstance(expr, _NUMERIC)


def names(expr: Expr) -> list[Name]:
    """Every indicator named in ``expr``, in the order written (repeats kept, with positions)."""
    return [expr] if isinstance(expr, Name) else [n for child in _children(expr) for n in names(child)]


def conjuncts(expr: Expr) -> tuple[Expr, ...]:
    """The parts of a top-level ``and`` (each is checked and reported on its own), else ``(expr,)``."""
    return expr.operands if isinstance(expr, Logic) and expr.op == "and" else (expr,)


# --- evaluation ----------------------------------------------------------------------------------

def evaluate(expr: Expr, values: Mapping[str, Decimal | None]) -> Value:
    """``expr``'s value; ``values`` maps each name (``Name.name``) to a number, None = blank = 0."""
    with decimal.localcontext() as ctx:
        ctx.prec = 28
        ctx.traps[decimal.InvalidOperation] = True
        return _eval(expr, values)


def _eval(expr: Expr, values: Mapping[str, Decimal | None]) -> Value:
    if isinstance(expr, Number):
        return expr.value
    if isinstance(expr, Name):
        if expr.name not in values:
            raise ExprError(f"no value for {expr.text!r}", expr.pos)
        value = values[expr.name]
        return Decimal(0) if value is None else Decimal(repr(value) if isinstance(value, float) else value)
    if isinstance(expr, Neg):
        inner = _eval(expr.operand, values)
        return -inner if isinstance(inner, Decimal) else inner
    if isinstance(expr, Not):
        inner = _eval(expr.operand, values)
        return (not inner) if isinstance(inner, bool) else inner
    if isinstance(expr, Logic):
        results = [_eval(operand, values) for operand in expr.operands]
        decisive = expr.op == "or"  # the value that settles it: True for or, False for and
        if decisive in results:
            return decisive
        undefined = [r for r in results if isinstance(r, Undefined)]
        return undefined[0] if undefined else not decisive
    left, right = _eval(expr.left, values), _eval(expr.right, values)
    if isinstance(left, Undefined):
        return left
    if isinstance(right, Undefined):
        return right
    assert isinstance(left, Decimal) and isinstance(right, Decimal)
    if isinstance(expr, Arith):
        if expr.op == "/" and right == 0:
            return Undefined("division by zero", expr.pos)
        try:
            return {"+": left.__add__, "-": left.__sub__, "*": left.__mul__, "/": left.__truediv__}[expr.op](right)
        except decimal.DecimalException:
            return Undefined("a number too large", expr.pos)
    try:
        a, b = left.quantize(_CENT, decimal.ROUND_HALF_UP), right.quantize(_CENT, decimal.ROUND_HALF_UP)
    except decimal.DecimalException:
        return Undefined("a number too large", expr.pos)
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[expr.op]


# --- rendering -----------------------------------------------------------------------------------

_PRECEDENCE = {"or": 1, "and": 2, Not: 3, Compare: 4, "+": 5, "-": 5, "*": 6, "/": 6, Neg: 7, Number: 8, Name: 8}


def _prec(expr: Expr) -> int:
    return _PRECEDENCE[expr.op] if isinstance(expr, (Logic, Arith)) else _PRECEDENCE[type(expr)]


def fmt(value: Decimal) -> str:
    """A number as a table prints it: ``12``, ``0.35`` (no exponent, no trailing zeros)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _name_value(value: Decimal | None, lang: str) -> str:
    if value is None:
        return "0（空）" if lang == "zh" else "0 (blank)"
    return fmt(value)


def render(expr: Expr, values: Mapping[str, Decimal | None] | None = None, lang: str = "zh") -> str:
    """``expr`` as text; with ``values``, each name followed by its value (``专职人员数 0 + 兼职人员数 2``)."""
    def wrap(sub: Expr, tighter: bool) -> str:
        text = render(sub, values, lang)
        return f"({text})" if tighter else text

    if isinstance(expr, Number):
        return expr.text
    if isinstance(expr, Name):
        return expr.text if values is None else f"{expr.text} {_name_value(values.get(expr.name), lang)}"
    me = _prec(expr)
    if isinstance(expr, Neg):
        return "-" + wrap(expr.operand, _prec(expr.operand) < me)
    if isinstance(expr, Not):
        return "not " + wrap(expr.operand, _prec(expr.operand) < me)
    if isinstance(expr, Logic):
        return f" {expr.op} ".join(wrap(o, _prec(o) <= me) for o in expr.operands)
    return f"{wrap(expr.left, _prec(expr.left) < me)} {expr.op} {wrap(expr.right, _prec(expr.right) <= me)}"


def _side(expr: Expr, values: Mapping[str, Decimal | None], lang: str) -> str:
    if isinstance(expr, Name):
        return f"{expr.text} = {_name_value(values.get(expr.name), lang)}"
    if isinstance(expr, Number):
        return expr.text
    value = evaluate(expr, values)
    shown = fmt(value) if isinstance(value, Decimal) else "?"
    return f"{render(expr, values, lang)} = {shown}"


_REASONS_ZH = {"division by zero": "除数为零", "a number too large": "数值过大"}
_FAILED = {
    "zh": {"==": "{l}，但 {r}", "!=": "{l}，不应等于 {r}", ">=": "{l}，应不小于 {r}", ">": "{l}，应大于 {r}",
           "<=": "{l}，应不大于 {r}", "<": "{l}，应小于 {r}"},
    "en": {"==": "{l}, but {r}", "!=": "{l}, but should differ from {r}", ">=": "{l}, should be at least {r}",
           ">": "{l}, should be greater than {r}", "<=": "{l}, should be at most {r}",
           "<": "{l}, should be less than {r}"},
}


def explain(expr: Expr, values: Mapping[str, Decimal | None], lang: str = "zh") -> str:
    """Why ``expr`` fails (or holds), both sides shown with their values, in ``lang`` (zh | en).

    ``从事政府信息公开工作人员数 = 0，但 专职人员数 0 + 兼职人员数 2 = 2``
    """
    lang = "zh" if lang == "zh" else "en"
    result = evaluate(expr, values)
    if isinstance(result, Undefined):
        reason = _REASONS_ZH.get(result.reason, result.reason) if lang == "zh" else result.reason
        return (f"无法计算（{reason}）：{render(expr, values, lang)}" if lang == "zh"
                else f"cannot be computed ({reason}): {render(expr, values, lang)}")
    if isinstance(expr, Compare):
        left, right = _side(expr.left, values, lang), _side(expr.right, values, lang)
        if result is False:
            return _FAILED[lang][expr.op].format(l=left, r=right)
        return f"{left} {expr.op} {right}（成立）" if lang == "zh" else f"{left} {expr.op} {right} (holds)"
    verdict = {("zh", False): "条件不成立：", ("zh", True): "条件成立：",
               ("en", False): "the condition does not hold: ", ("en", True): "the condition holds: "}
    return verdict[(lang, bool(result))] + render(expr, values, lang)
