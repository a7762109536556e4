package dev.ephemera;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event as a line such as {@code ended sess_… IDLE_TIMEOUT}. */
public final class RecordingListener implements SessionListener {
  public final List<String> events = new CopyOnWriteArrayList<>();
  public final List<SessionInfo> ended = new CopyOnWriteArrayList<>();

  @Override
  public void opened(SessionInfo s) {
    events.add("opened " + s.id());
  }

  @Override
  public void signedIn(SessionInfo s) {
    events.add("signedIn " + s.id() + " " + s.identity().key());
  }

  @Override
  public void signedOut(SessionInfo s) {
    events.add("signedOut " + s.id());
  }

  @Override
  public void tokenRotated(SessionInfo s) {
    events.add("tokenRotated " + s.id());
  }

  @Override
  public void forked(SessionInfo parent, SessionInfo child) {
    events.add("forked " + parent.id() + " " + child.id());
  }

  @Override
  public void resumed(SessionInfo s) {
    events.add("resumed " + s.id());
  }

  @Override
  public void idleWarning(SessionInfo s, Duration remaining) {
    events.add("idleWarning " + s.id() + " " + remaining);
  }

  @Override
  public void killWarning(SessionInfo s, Duration grace) {
    events.add("killWarning " + s.id() + " " + grace);
  }

  @Override
  public void ended(SessionInfo s) {
    events.add("ended " + s.id() + " " + s.endReason());
    ended.add(s);
  }

  public long count(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).count();
  }
}
