package dev.ephemera.internal.graph.query;

import dev.ephemera.internal.graph.query.CypherParser.IntegerLiteralContext;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;

/** The values of integer and string literals as the query writes them. */
final class Literals {
  private Literals() {}

  /** An integer literal's value; {@code negative}: the literal follows a unary minus. */
  static long integer(IntegerLiteralContext l, boolean negative) {
    String t = l.getText();
    String digits;
    int radix;
    if (l.HexInteger() != null) {
      digits = t.substring(2);
      radix = 16;
    } else if (l.OctalInteger() != null) {
      digits = t.substring(2);
      radix = 8;
    } else {
      digits = t;
      radix = 10;
    }
    try {
      return Long.parseLong((negative ? "-" : "") + digits, radix);
    } catch (NumberFormatException e) {
      throw QueryError.syntax(l, "integer literal out of range: " + (negative ? "-" : "") + t);
    }
  }

  static String unescape(ParserRuleContext at, String quoted) {
    StringBuilder b = new StringBuilder(quoted.length());
    for (int i = 1; i < quoted.length() - 1; i++) {
      char ch = quoted.charAt(i);
      if (ch != '\\') {
        b.append(ch);
        continue;
      }
      char n = quoted.charAt(++i);
      switch (n) {
        case '\\', '\'', '"' -> b.append(n);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u', 'U' -> {
          int len = n == 'u' ? 4 : 8;
          if (i + len >= quoted.length() || !quoted.substring(i + 1, i + 1 + len).matches("[0-9a-fA-F]+")) {
            throw QueryError.syntax(at, "invalid unicode escape in string literal " + quoted);
          }
          b.appendCodePoint(Integer.parseInt(quoted.substring(i + 1, i + 1 + len), 16));
          i += len;
        }
        default -> throw QueryError.syntax(at, "invalid escape \\" + n + " in string literal");
      }
    }
    return b.toString();
  }


  /** The type of a literal an expression is nothing but (not null, not boolean), or null. */
  static String literalType(ParseTree t) {
    while (t != null && !(t instanceof CypherParser.LiteralAtomContext)) {
      if (t.getChildCount() != 1) {
        return null;
      }
      t = t.getChild(0);
    }
    if (t == null) {
      return null;
    }
    CypherParser.LiteralContext l = ((CypherParser.LiteralAtomContext) t).literal();
    if (l.numberLiteral() != null) {
      return l.numberLiteral().integerLiteral() != null ? "INTEGER" : "FLOAT";
    }
    if (l.StringLiteral() != null) {
      return "STRING";
    }
    if (l.listLiteral() != null) {
      return "LIST";
    }
    if (l.mapLiteral() != null) {
      return "MAP";
    }
    return null;
  }

}
