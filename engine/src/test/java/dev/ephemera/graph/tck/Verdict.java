package dev.ephemera.graph.tck;

/**
 * How a scenario went. A failure says why, and shows the query that was running (the
 * {@code When} query, or the setup query that failed) with what was expected and what came
 * instead; a skip says why the scenario was not run.
 *
 * @param reason why it failed or was skipped; empty if it passed
 * @param query the query concerned, or empty
 * @param expected what the scenario expected, or empty
 * @param actual what the engine did instead, or empty
 */
record Verdict(Status status, String reason, String query, String expected, String actual) {
  /** The three outcomes. */
  enum Status {
    PASSED,
    FAILED,
    /** Not run: out of scope (procedures) or ignored by the TCK itself ({@code @ignore}). */
    SKIPPED
  }

  static Verdict passed() {
    return new Verdict(Status.PASSED, "", "", "", "");
  }

  static Verdict skipped(String reason) {
    return new Verdict(Status.SKIPPED, reason, "", "", "");
  }

  static Verdict failed(String reason, String query, String expected, String actual) {
    return new Verdict(Status.FAILED, reason, query, expected, actual);
  }
}
