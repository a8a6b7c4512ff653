package dev.cartan.cli;

import dev.cartan.kernels.KernelProvider;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cartan env}: describes the runtime Cartan runs on (version, JDK, OS, processors, heap) and the kernel
 * provider it chose (scalar or SIMD, species, lanes, FMA), so a user can see at once whether the Vector API is in
 * use and, if not, how to enable it.
 */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description = {
        "Print the runtime: Cartan version, JDK, OS, processors, max heap, and the kernel provider",
        "(scalar or SIMD, species, lanes, vector bits, FMA). JSON by default."
    })
public final class EnvCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      paramLabel = "<format>",
      defaultValue = "json",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  /** The JDK that runs Cartan (system properties of the same names). */
  public record Jdk(String version, String vendor, String vmName, String home, Long perMethodTrapLimit) {}

  /** The operating system (system properties {@code os.name}, {@code os.version}, {@code os.arch}). */
  public record Os(String name, String version, String arch) {}

  /**
   * The kernel provider in use.
   *
   * @param vectorModuleReadable whether {@code jdk.incubator.vector} is in the boot layer
   * @param provider {@code scalar} or {@code simd}
   * @param vectorBits width of the provider's vectors (64 for scalar: one float64 lane)
   * @param preferredVectorBits the hardware's preferred vector size (capped at 512), or null without the module
   * @param providerProperty value of {@code -Dcartan.provider}, or null
   * @param vectorBitsProperty value of {@code -Dcartan.vectorBits}, or null
   * @param gemmTile the float64 GEMM micro-tile, rows x columns (e.g. {@code 8 x 6})
   * @param gemmColumnsProperty value of {@code -Dcartan.gemmColumns}, or null
   */
  public record Kernels(
      boolean vectorModuleReadable,
      String provider,
      String species,
      int doubleLanes,
      int floatLanes,
      int vectorBits,
      int vectorRegisters,
      boolean fma,
      Integer preferredVectorBits,
      String providerProperty,
      String vectorBitsProperty,
      String gemmTile,
      String gemmColumnsProperty) {}

  /**
   * The result of {@code cartan env}.
   *
   * @param maxHeapBytes {@link Runtime#maxMemory()}
   * @param hint how to enable SIMD when the module is missing, else null
   */
  public record Env(
      String cartanVersion,
      Jdk java,
      Os os,
      int availableProcessors,
      long maxHeapBytes,
      Kernels kernels,
      String hint) {}

  @Override
  public Integer call() {
    Env env = collect();
    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      Json.write(env, out, spec.commandLine().getErr());
    } else {
      out.print(text(env));
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** Reads the runtime; loads the kernel provider if nothing did yet. */
  static Env collect() {
    KernelProvider p = Providers.get();
    boolean readable = KernelProvider.vectorModuleReadable();
    // simd(512) is capped by the hardware's preferred size and ignores -Dcartan.vectorBits: the preferred size
    // (up to 512 bits; wider SVE vectors would show as 512) without importing the Vector API here.
    Integer preferred = readable ? KernelProvider.simd(512).map(KernelProvider::vectorBits).orElse(null) : null;
    Kernels k = new Kernels(
        readable,
        p.name(),
        p.species(),
        p.doubleLanes(),
        p.floatLanes(),
        p.vectorBits(),
        p.vectorRegisters(),
        p.fma(),
        preferred,
        System.getProperty(KernelProvider.PROVIDER_PROPERTY),
        System.getProperty(KernelProvider.VECTOR_BITS_PROPERTY),
        p.f64().gemmMr() + " x " + p.f64().gemmNr(),
        System.getProperty(KernelProvider.GEMM_COLUMNS_PROPERTY));
    return new Env(
        CartanVersion.get(),
        new Jdk(
            System.getProperty("java.version"),
            System.getProperty("java.vendor"),
            System.getProperty("java.vm.name"),
            System.getProperty("java.home"),
            perMethodTrapLimit()),
        new Os(System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch")),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory(),
        k,
        readable ? null : KernelProvider.MODULE_HINT);
  }

  /**
   * HotSpot's {@code -XX:PerMethodTrapLimit} (the launcher sets 10000; the JVM's default is 100), or null where the
   * VM has no such option or no diagnostic bean (another VM, or a runtime without {@code jdk.management}).
   */
  static Long perMethodTrapLimit() {
    try {
      HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return bean == null ? null : Long.valueOf(bean.getVMOption("PerMethodTrapLimit").getValue());
    } catch (IllegalArgumentException | LinkageError e) {
      // IllegalArgumentException (NumberFormatException included): no such option or not a number.
      return null;
    }
  }

  /** The text format: one {@code key  value} line per field, keys padded to one column. */
  static String text(Env e) {
    Kernels k = e.kernels();
    StringBuilder sb = new StringBuilder();
    line(sb, "cartan", e.cartanVersion());
    line(sb, "java", e.java().version() + " (" + e.java().vendor() + ", " + e.java().vmName() + ")");
    line(sb, "java.home", e.java().home());
    if (e.java().perMethodTrapLimit() != null) {
      line(sb, "trap limit", e.java().perMethodTrapLimit().toString());
    }
    line(sb, "os", e.os().name() + " " + e.os().version() + " (" + e.os().arch() + ")");
    line(sb, "processors", Integer.toString(e.availableProcessors()));
    line(sb, "max heap", String.format(Locale.ROOT, "%.1f MiB", e.maxHeapBytes() / 1048576.0));
    line(sb, "vector module", k.vectorModuleReadable() ? "readable" : "missing");
    line(sb, "provider", k.provider());
    line(sb, "species", k.species());
    line(sb, "lanes", k.doubleLanes() + " double, " + k.floatLanes() + " float");
    line(sb, "vector bits", Integer.toString(k.vectorBits()));
    line(sb, "vector registers", Integer.toString(k.vectorRegisters()));
    line(sb, "fma", k.fma() ? "yes" : "no");
    line(sb, "gemm tile", k.gemmTile());
    if (k.preferredVectorBits() != null) {
      line(sb, "preferred bits", k.preferredVectorBits().toString());
    }
    if (k.providerProperty() != null) {
      line(sb, "-D" + KernelProvider.PROVIDER_PROPERTY, k.providerProperty());
    }
    if (k.vectorBitsProperty() != null) {
      line(sb, "-D" + KernelProvider.VECTOR_BITS_PROPERTY, k.vectorBitsProperty());
    }
    if (k.gemmColumnsProperty() != null) {
      line(sb, "-D" + KernelProvider.GEMM_COLUMNS_PROPERTY, k.gemmColumnsProperty());
    }
    if (e.hint() != null) {
      line(sb, "hint", e.hint());
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(String.format(Locale.ROOT, "%-20s %s%n", key, value));
  }
}
