package dev.ephemera.internal.graph.query;

import java.util.ArrayList;
import java.util.List;

/** Arithmetic: integers overflow into an error, not around; a float anywhere makes a float. */
final class Arith {
  private Arith() {}

  private static QueryError bad(String op, Object a, Object b) {
    return QueryError.type("cannot apply " + op + " to " + Vals.typeName(a) + " and " + Vals.typeName(b));
  }

  static Object add(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof List<?> x) {
      List<Object> out = new ArrayList<>(x);
      if (b instanceof List<?> y) {
        out.addAll(y);
      } else {
        out.add(b);
      }
      return out;
    }
    if (b instanceof List<?> y) {
      List<Object> out = new ArrayList<>(y.size() + 1);
      out.add(a);
      out.addAll(y);
      return out;
    }
    if (a instanceof String x) {
      if (b instanceof String || Vals.isNumber(b) || b instanceof Boolean) {
        return x + (b instanceof Double d ? Functions.formatDouble(d) : b.toString());
      }
      throw bad("+", a, b);
    }
    if (b instanceof String y) {
      if (Vals.isNumber(a) || a instanceof Boolean) {
        return (a instanceof Double d ? Functions.formatDouble(d) : a.toString()) + y;
      }
      throw bad("+", a, b);
    }
    if (a instanceof Long x && b instanceof Long y) {
      try {
        return Math.addExact(x, y);
      } catch (ArithmeticException e) {
        throw QueryError.runtime("integer overflow: " + x + " + " + y);
      }
    }
    if (Vals.isNumber(a) && Vals.isNumber(b)) {
      return Vals.dbl(a) + Vals.dbl(b);
    }
    throw bad("+", a, b);
  }

  static Object sub(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Long x && b instanceof Long y) {
      try {
        return Math.subtractExact(x, y);
      } catch (ArithmeticException e) {
        throw QueryError.runtime("integer overflow: " + x + " - " + y);
      }
    }
    if (Vals.isNumber(a) && Vals.isNumber(b)) {
      return Vals.dbl(a) - Vals.dbl(b);
    }
    throw bad("-", a, b);
  }

  static Object mul(String op, Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (!Vals.isNumber(a) || !Vals.isNumber(b)) {
      throw bad(op, a, b);
    }
    if (a instanceof Long x && b instanceof Long y) {
      switch (op) {
        case "*":
          try {
            return Math.multiplyExact(x, y);
          } catch (ArithmeticException e) {
            throw QueryError.runtime("integer overflow: " + x + " * " + y);
          }
        case "/":
          if (y == 0) {
            throw QueryError.runtime("division by zero");
          }
          if (x == Long.MIN_VALUE && y == -1) {
            throw QueryError.runtime("integer overflow: " + x + " / " + y);
          }
          return x / y;
        default:
          if (y == 0) {
            throw QueryError.runtime("division by zero (modulo)");
          }
          return x % y;
      }
    }
    double x = Vals.dbl(a);
    double y = Vals.dbl(b);
    switch (op) {
      case "*":
        return x * y;
      case "/":
        return x / y;
      default:
        return x % y;
    }
  }

  static Object pow(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (!Vals.isNumber(a) || !Vals.isNumber(b)) {
      throw bad("^", a, b);
    }
    return Math.pow(Vals.dbl(a), Vals.dbl(b));
  }

  static Object neg(Object a) {
    if (a == null) {
      return null;
    }
    if (a instanceof Long x) {
      if (x == Long.MIN_VALUE) {
        throw QueryError.runtime("integer overflow: -(" + x + ")");
      }
      return -x;
    }
    if (Vals.isNumber(a)) {
      return -Vals.dbl(a);
    }
    throw QueryError.type("unary - expects a number, got " + Vals.typeName(a));
  }
}
