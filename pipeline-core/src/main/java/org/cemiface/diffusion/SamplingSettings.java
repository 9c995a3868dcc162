package org.cemiface.diffusion;

import org.cemiface.config.ConfigReader;

/**
 * The {@code sampling} section: DDIM steps, noise scale η, and the similarity-guidance scale w.
 * With w ≠ 1 each step's ε̂ becomes ε̂(m=0) + w·(ε̂(m) − ε̂(m=0)) (classifier-free guidance with m
 * = 0 as the reference condition; not in the paper); w = 1 is the paper's plain conditional
 * sampling.
 */
public record SamplingSettings(int steps, double eta, double guidance) {
  /** Reads and range-checks the section for a model trained with {@code schedule}. */
  public static SamplingSettings from(ConfigReader r, NoiseSchedule schedule) {
    return new SamplingSettings(
        r.intIn("sampling.steps", 1, schedule.timesteps()),
        r.doubleIn("sampling.eta", 0, 10),
        r.doubleIn("sampling.guidance", 0, 20));
  }

  /** The DDIM sampler these settings describe. */
  public DdimSampler sampler(NoiseSchedule schedule) {
    return new DdimSampler(schedule, steps, eta);
  }
}
