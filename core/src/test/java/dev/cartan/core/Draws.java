package dev.cartan.core;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclaration;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * Seeded random draws for property tests, as JUnit parameterized tests. A method annotated {@link Property} runs
 * {@code tries} times; each parameter carries its range ({@link IntRange}, {@link LongRange}, {@link DoubleRange},
 * bounds inclusive). Draw 0 takes every parameter at its minimum, draw 1 at its maximum (the corners, where
 * degenerate cases live); the others are uniform, except that integer ranges spanning more than a factor of 16
 * are sampled log-uniformly half of the time so that small sizes are drawn as often as large ones. The sequence
 * depends only on the seed and the ranges, so a failure names its draw and reproduces.
 */
final class Draws implements ArgumentsProvider, AnnotationConsumer<Draws.Property> {

  /** A property test: a parameterized test over {@link #tries()} seeded draws of its ranged parameters. */
  @Target(METHOD)
  @Retention(RUNTIME)
  @ParameterizedTest(name = "[{index}] {arguments}")
  @ArgumentsSource(Draws.class)
  @interface Property {
    int tries() default 100;

    String seed() default "20261128";
  }

  /** Inclusive range of an {@code int} parameter. */
  @Target(PARAMETER)
  @Retention(RUNTIME)
  @interface IntRange {
    int min() default 0;

    int max();
  }

  /** Inclusive range of a {@code long} parameter. */
  @Target(PARAMETER)
  @Retention(RUNTIME)
  @interface LongRange {
    long min() default 0;

    long max();
  }

  /** Closed range of a {@code double} parameter. */
  @Target(PARAMETER)
  @Retention(RUNTIME)
  @interface DoubleRange {
    double min() default 0;

    double max();
  }

  private Property property;

  @Override
  public void accept(Property annotation) {
    if (annotation.tries() < 1) {
      throw new IllegalArgumentException("tries must be >= 1, got " + annotation.tries());
    }
    this.property = annotation;
  }

  @Override
  public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
    List<ParameterDeclaration> all = parameters.getAll();
    Random rnd = new Random(Long.parseLong(property.seed()));
    String where = parameters.getSourceElementDescription();
    Object[][] rows = new Object[property.tries()][all.size()];
    for (int t = 0; t < rows.length; t++) {
      for (int p = 0; p < all.size(); p++) {
        rows[t][p] = draw(all.get(p).getAnnotatedElement(), t, rnd, where);
      }
    }
    return IntStream.range(0, rows.length).mapToObj(t -> Arguments.of(rows[t]));
  }

  private static Object draw(AnnotatedElement parameter, int t, Random rnd, String where) {
    IntRange ir = parameter.getAnnotation(IntRange.class);
    if (ir != null) {
      return (int) drawLong(ir.min(), ir.max(), t, rnd, where);
    }
    LongRange lr = parameter.getAnnotation(LongRange.class);
    if (lr != null) {
      return drawLong(lr.min(), lr.max(), t, rnd, where);
    }
    DoubleRange dr = parameter.getAnnotation(DoubleRange.class);
    if (dr != null) {
      if (!(dr.min() <= dr.max()) || !Double.isFinite(dr.max() - dr.min())) {
        throw new IllegalArgumentException(where + ": bad range [" + dr.min() + ", " + dr.max() + "]");
      }
      return t == 0 ? dr.min() : t == 1 ? dr.max() : dr.min() + (dr.max() - dr.min()) * rnd.nextDouble();
    }
    throw new IllegalArgumentException(where + ": every parameter needs an @IntRange, @LongRange or @DoubleRange");
  }

  private static long drawLong(long min, long max, int t, Random rnd, String where) {
    if (min > max || max - min < 0) {
      throw new IllegalArgumentException(where + ": bad range [" + min + ", " + max + "]");
    }
    if (t < 2) {
      return t == 0 ? min : max;
    }
    if (min >= 1 && max / min > 16 && rnd.nextBoolean()) {
      double x = Math.exp(Math.log(min) + (Math.log(max + 1.0) - Math.log(min)) * rnd.nextDouble());
      return Math.min(max, Math.max(min, (long) Math.floor(x)));
    }
    return min + (long) Math.floor((max - min + 1.0) * rnd.nextDouble()) % (max - min + 1);
  }
}
