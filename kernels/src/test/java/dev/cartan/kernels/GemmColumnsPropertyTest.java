package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link KernelProvider#gemmColumns()}: the JDK's default, the override, and a clear error for anything else. */
class GemmColumnsPropertyTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(KernelProvider.GEMM_COLUMNS_PROPERTY);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(KernelProvider.GEMM_COLUMNS_PROPERTY);
    } else {
      System.setProperty(KernelProvider.GEMM_COLUMNS_PROPERTY, saved);
    }
  }

  @Test
  void defaultsToSixOnJdk17AndFiveAfter() {
    System.clearProperty(KernelProvider.GEMM_COLUMNS_PROPERTY);
    assertEquals(Runtime.version().feature() == 17 ? 6 : 5, KernelProvider.gemmColumns());
  }

  @Test
  void theOverrideWins() {
    System.setProperty(KernelProvider.GEMM_COLUMNS_PROPERTY, "5");
    assertEquals(5, KernelProvider.gemmColumns());
    System.setProperty(KernelProvider.GEMM_COLUMNS_PROPERTY, " 6 ");
    assertEquals(6, KernelProvider.gemmColumns());
  }

  @Test
  void anythingElseIsAnErrorNamingTheProperty() {
    for (String bad : new String[] {"4", "12", "six", "-5"}) {
      System.setProperty(KernelProvider.GEMM_COLUMNS_PROPERTY, bad);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, KernelProvider::gemmColumns);
      assertTrue(e.getMessage().contains("cartan.gemmColumns") && e.getMessage().contains("'" + bad + "'"),
          e.getMessage());
    }
  }
}
