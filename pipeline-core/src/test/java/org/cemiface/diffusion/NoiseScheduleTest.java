package org.cemiface.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cemiface.config.ConfigError;
import org.cemiface.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {
  private static NoiseSchedule read(String... overrides) {
    return NoiseSchedule.from(
        ConfigLoader.load(List.of(), List.of(overrides)).reader().section("diffusion"));
  }

  /** Improved DDPM's ᾱ written directly: f(t)/f(0), f(t) = cos²(((t/T) + s)/(1 + s) · π/2). */
  private static double closedForm(int t, int timesteps) {
    double s = 0.008;
    double f = Math.cos(((double) t / timesteps + s) / (1 + s) * Math.PI / 2);
    double f0 = Math.cos(s / (1 + s) * Math.PI / 2);
    return f * f / (f0 * f0);
  }

  @Test
  void linearScheduleEndsWhereDdpmEnds() {
    NoiseSchedule s = read();
    assertEquals(1000, s.timesteps());
    assertEquals(1e-4, s.beta(0), 1e-9);
    assertEquals(0.02, s.beta(999), 1e-9);
    // ᾱ_T of DDPM's linear schedule: about 4.0e-5 (guided-diffusion prints 4.04e-5).
    assertEquals(4.04e-5, s.alphaBar(999), 0.02e-5);
  }

  @Test
  void cosineScheduleFollowsTheClosedFormAndClipsTheLastStep() {
    NoiseSchedule s = read("diffusion.schedule=cosine", "diffusion.float64-cumprod=true");
    // β_t = 1 − ᾱ(t+1)/ᾱ(t), so the product up to t is f(t+1)/f(0).
    for (int t : new int[] {0, 1, 100, 500, 900, 990, 998}) {
      assertEquals(closedForm(t + 1, 1000), s.alphaBar(t), 1e-9 + 1e-9 * closedForm(t + 1, 1000));
    }
    // f(T) = 0 would make the last β 1: it is clipped at 0.999 instead.
    assertEquals(0.999, s.beta(999), 1e-12);
    assertEquals(s.alphaBar(998) * 0.001, s.alphaBar(999), 1e-15);
    // Half the signal power is left near t = T/2; the linear schedule is there before t = 0.3 T.
    assertTrue(s.alphaBar(490) > 0.5 && s.alphaBar(510) < 0.5, "alpha-bar at T/2");
    assertTrue(read().alphaBar(300) < 0.5, "linear alpha-bar at 0.3 T");
  }

  @Test
  void unknownScheduleNamesTheKey() {
    ConfigError e = assertThrows(ConfigError.class, () -> read("diffusion.schedule=quadratic"));
    assertTrue(e.getMessage().contains("diffusion.schedule"), e.getMessage());
    assertTrue(e.getMessage().contains("cosine"), e.getMessage());
  }
}
