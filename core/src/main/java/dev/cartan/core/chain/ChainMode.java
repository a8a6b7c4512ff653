package dev.cartan.core.chain;

/** How the user's matrices make a chain (THEORY.md 8.1, 8.2). */
public enum ChainMode {
  /** (8.1) the matrices are layer factors {@code A_1..A_L}; {@code X_l = A_l ... A_1}, {@code X_0 = I}, {@code T_l = A_{l+1}}. */
  FACTORS,
  /** (8.2) the matrices are the states {@code X_0..X_L}; {@code T_l = X_{l+1} X_l^{-1}} (solved, never inverted). */
  STATES
}
