package dev.cartan.kernels;

/** The provider with plain Java loops: no Vector API, same results up to rounding. */
final class ScalarProvider extends KernelProvider {
  static final ScalarProvider INSTANCE = new ScalarProvider();

  private final DoubleKernels f64 = new ScalarDoubleKernels();
  private final FloatKernels f32 = new ScalarFloatKernels();

  private ScalarProvider() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public int vectorBits() {
    return 64;
  }

  @Override
  public int doubleLanes() {
    return 1;
  }

  @Override
  public int floatLanes() {
    return 1;
  }

  @Override
  public boolean fma() {
    return false;
  }

  @Override
  public String species() {
    return "scalar (1 lane)";
  }

  @Override
  public DoubleKernels f64() {
    return f64;
  }

  @Override
  public FloatKernels f32() {
    return f32;
  }
}
