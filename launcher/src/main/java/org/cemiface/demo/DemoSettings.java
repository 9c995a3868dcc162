package org.cemiface.demo;

import java.util.Arrays;
import java.util.List;
import org.cemiface.config.ConfigReader;

/**
 * The {@code demo} section. The UNet learns from {@code unetPeople} × {@code unetImages} rendered
 * people of its own (from {@code firstUnetPerson}), the encoder from {@code render.*}'s. {@code
 * referencePeople} × {@code referenceImages} fresh rendered people are the FID floor (the same
 * shape as a generated set) and the "real" training set of the face-recognition comparison, {@code
 * benchmark} the held-out people that comparison is verified on, {@code goal} what the demo checks
 * at its end.
 */
public record DemoSettings(
    String output,
    int inquiryCandidates,
    int firstCandidate,
    int trainSteps,
    int unetPeople,
    int unetImages,
    int firstUnetPerson,
    int sweepSubjects,
    int sweepImages,
    List<Double> sweepM,
    int referencePeople,
    int referenceImages,
    int firstReferencePerson,
    Benchmark benchmark,
    DemoGoal goal) {
  /** Fresh rendered people (ids from {@code firstPerson}) drawn into {@code pairs} pairs. */
  public record Benchmark(int people, int images, int firstPerson, int pairs) {}

  /** Reads the {@code demo} section. */
  public static DemoSettings from(ConfigReader root) {
    ConfigReader r = root.section("demo");
    double[] m = r.doubles("sweep.m", -1, -1, 1);
    return new DemoSettings(
        r.string("output"),
        r.intIn("inquiry-candidates", 1, 10_000_000),
        r.intIn("first-candidate", 0, Integer.MAX_VALUE),
        r.intIn("train-steps", 1, Integer.MAX_VALUE),
        r.intIn("unet-faces.people", 1, 10_000_000),
        r.intIn("unet-faces.images", 1, 10_000),
        r.intIn("unet-faces.first-person", 0, Integer.MAX_VALUE),
        r.intIn("sweep.subjects", 1, 1_000_000),
        r.intIn("sweep.images", 1, 100_000),
        Arrays.stream(m).boxed().toList(),
        r.intIn("fid-floor.people", 1, 1_000_000),
        r.intIn("fid-floor.images", 1, 10_000),
        r.intIn("fid-floor.first-person", 0, Integer.MAX_VALUE),
        new Benchmark(
            r.intIn("benchmark.people", 2, 1_000_000),
            r.intIn("benchmark.images", 2, 10_000),
            r.intIn("benchmark.first-person", 0, Integer.MAX_VALUE),
            r.intIn("benchmark.pairs", 20, 10_000_000)),
        DemoGoal.from(r));
  }
}
