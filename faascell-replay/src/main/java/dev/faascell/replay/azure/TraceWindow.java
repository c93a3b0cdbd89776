package dev.faascell.replay.azure;

/**
 * The minutes of the day that are replayed: {@code minutes} minutes from {@code startMinute}, numbered
 * as the trace's columns are (1 to 1440).
 */
public record TraceWindow(int startMinute, int minutes) {
  public TraceWindow {
    if (startMinute < 1 || minutes < 1) {
      throw new IllegalArgumentException("the window starts at minute 1 or later and has at least one minute, got start "
          + startMinute + ", " + minutes + " minutes");
    }
  }

  public int endMinute() {
    return startMinute + minutes - 1;
  }

  public boolean contains(int minute) {
    return minute >= startMinute && minute <= endMinute();
  }
}
