package org.cemiface.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoGoalTest {
  private final DemoGoal goal = new DemoGoal(0.25, 0.15, 0.25);

  private static DemoGoal.ControlRow row(double m, double mean, double err) {
    return new DemoGoal.ControlRow(m, 100, mean, err);
  }

  @Test
  void aRisingSweepWithSpreadAndACloseFidPasses() {
    List<DemoGoal.Check> checks =
        goal.evaluate(
            List.of(
                row(-0.5, -0.05, 0.45), row(0, 0.04, 0.11), row(0.5, 0.2, 0.3), row(1, 0.45, 0.55)),
            new DemoGoal.FidScale(0.15, 0.07, 0.75));
    assertEquals(4, checks.size());
    checks.forEach(c -> assertTrue(c.holds(), c.line()));
    assertTrue(
        checks
            .get(0)
            .line()
            .startsWith("PASS achieved similarity rises with m: 0.450 at m=1.00 > "),
        checks.get(0).line());
  }

  @Test
  void eachFailingClaimIsReportedOnItsOwn() {
    // Today's 300-step model: flat in m, m = 0 near 0 only because noise scores near 0, FID at the
    // ceiling.
    List<DemoGoal.Check> checks =
        goal.evaluate(
            List.of(
                row(1, -0.03, 1.03),
                row(0.5, 0.006, 0.5),
                row(0, 0.06, 0.14),
                row(-0.5, -0.013, 0.49)),
            new DemoGoal.FidScale(0.70, 0.07, 0.75));
    assertFalse(checks.get(0).holds(), "not monotonic");
    assertFalse(checks.get(1).holds(), "spread -0.017");
    assertTrue(checks.get(2).holds(), "m = 0 error 0.14");
    assertFalse(checks.get(3).holds(), "FID 93% of the way to noise");
    assertTrue(checks.get(3).line().startsWith("FAIL FID"), checks.get(3).line());
  }

  @Test
  void aSweepWithoutAnMZeroRowFails() {
    List<DemoGoal.Check> checks =
        goal.evaluate(List.of(row(1, 0.6, 0.4), row(-1, -0.2, 0.8)), null);
    assertEquals(3, checks.size(), "no FID check without a FID scale");
    assertTrue(checks.get(0).holds() && checks.get(1).holds());
    assertFalse(checks.get(2).holds());
  }
}
