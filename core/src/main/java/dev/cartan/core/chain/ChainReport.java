package dev.cartan.core.chain;

import java.util.List;

/**
 * Everything THEORY.md section 8 defines for one chain {@code X_0..X_L} of square {@code d x d} operators, per step
 * and for the whole chain, with each side of each inequality and the ratio observed / bound. Plain fields, no
 * cycles, no NaN or infinity (a ratio whose bound is 0 is reported as 0 when the observed side is 0 too).
 *
 * @param mode how the chain was given (factors or states)
 * @param proxy free text saying what the chain stands for (e.g. "static proxy I + W_l"), empty if nothing to say
 * @param dimension d
 * @param steps L (number of interfaces)
 * @param states one entry per state {@code X_0..X_L}
 * @param interfaces one entry per interface {@code T_0..T_{L-1}}
 * @param logM {@code log M = sum_l a_l} (8.4)
 * @param geometricMeanAmplitude {@code M^(1/L) = exp(log M / L)} (8.4)
 * @param radialPath {@code sum_l |Delta r_l|}
 * @param radialDisplacement {@code |r_L - r_0|}
 * @param slack non-backtracking slack {@code S = sum_l |Delta r_l| - |r_L - r_0| >= 0} (8.6)
 * @param submultiplicativeSlack {@code S_sub = sum_l log sigma_1(T_l) - log sigma_1(T_{L-1} ... T_0) >= 0} (8.6)
 * @param oneStepBoundHolds {@code |Delta r_l| <= a_l} on every step, up to rounding (8.5)
 * @param oneStepMaxRatio {@code max_l |Delta r_l| / a_l}
 * @param charts the chart-dependent quantities (8.7-8.11), one per chart in the order ls, top, mle, hellinger
 * @param nearIdentity the near-identity expansion (8.13) of each factor (factors mode, when asked), else empty
 */
public record ChainReport(
    String mode,
    String proxy,
    int dimension,
    int steps,
    List<State> states,
    List<Interface> interfaces,
    double logM,
    double geometricMeanAmplitude,
    double radialPath,
    double radialDisplacement,
    double slack,
    double submultiplicativeSlack,
    boolean oneStepBoundHolds,
    double oneStepMaxRatio,
    List<ChartChain> charts,
    List<NearIdentity.Expansion> nearIdentity) {

  /** Copies the lists so the record is immutable. */
  public ChainReport {
    states = List.copyOf(states);
    interfaces = List.copyOf(interfaces);
    charts = List.copyOf(charts);
    nearIdentity = List.copyOf(nearIdentity);
  }

  /**
   * One state {@code X_l}.
   *
   * @param index l
   * @param name the name of the matrix it came from ("X_l" or the factor's name for factors mode)
   * @param topRadial {@code r_l = (1/2) log(d p_1)}
   * @param conditionNumber {@code sigma_1(X_l) / sigma_d(X_l)} (2-norm, from the SVD)
   * @param s the exponent of each chart, in the order ls, top, mle, hellinger
   */
  public record State(int index, String name, double topRadial, double conditionNumber, double[] s) {}

  /**
   * One interface {@code T_l} (8.4, 8.5).
   *
   * @param step l
   * @param sigmaMax {@code sigma_1(T_l)}; with certified amplitudes ({@link ChainOptions.Amplitudes}) a
   *     guaranteed upper bound on it
   * @param sigmaMin {@code sigma_d(T_l)}; with certified amplitudes a guaranteed lower bound on it
   * @param amplitude {@code a_l = log sigma_1(T_l) - log sigma_d(T_l)}; with certified amplitudes
   *     {@code log(sigmaMax / sigmaMin)}, an upper bound on {@code a_l} within
   *     {@link ChainOptions#AMPLITUDE_TOLERANCE} (relative)
   * @param deltaR {@code Delta r_l = r_{l+1} - r_l}
   * @param ratio {@code |Delta r_l| / a_l} (observed / bound of 8.5)
   */
  public record Interface(int step, double sigmaMax, double sigmaMin, double amplitude, double deltaR,
      double ratio) {}

  /**
   * One chart on one step (8.8, 8.10, 8.11).
   *
   * @param step l
   * @param deltaS {@code Delta shat_l}
   * @param deltaRho {@code Delta rho_l} (top residual)
   * @param observed {@code |Delta shat_l|}
   * @param middle {@code |Delta r_l - Delta rho_l| / m}
   * @param bound {@code (a_l + |Delta rho_l|) / m}
   * @param ratio {@code observed / bound}
   * @param hellinger {@code Hel(p_l, p_{l+1})} of the measured spectra
   * @param hellingerOrbit {@code Hel(p(shat_l), p(shat_{l+1}))}
   * @param hellingerBound {@code e_l + e_{l+1} + Hel(p(shat_l), p(shat_{l+1}))} (8.10)
   * @param fisherRaoBound {@code ell(shat_l, shat_{l+1}) / (2 sqrt 2)} (8.10)
   * @param lipschitzBound {@code sqrt(max I) |Delta shat_l| / (2 sqrt 2)}, max over the step's interval (8.10)
   * @param fisherAction {@code I(shat_l) Delta shat_l^2}
   * @param kl {@code KL(p(shat_l) || p(shat_{l+1}))}
   * @param klLower {@code (1/2) min I Delta shat_l^2}
   * @param klUpper {@code (1/2) max I Delta shat_l^2}
   * @param bures {@code d_BW^2(p(shat_l), p(shat_{l+1})) = 2 d Hel^2}
   */
  public record ChartStep(int step, double deltaS, double deltaRho, double observed, double middle, double bound,
      double ratio, double hellinger, double hellingerOrbit, double hellingerBound, double fisherRaoBound,
      double lipschitzBound, double fisherAction, double kl, double klLower, double klUpper, double bures) {}

  /**
   * One chart over the whole chain (8.7-8.11).
   *
   * @param chart the chart's id
   * @param windowLo {@code s_lo = min_l shat_l}
   * @param windowHi {@code s_hi = max_l shat_l}
   * @param margin {@code m = Phi'(s_hi) = mu(s_hi) / 2} (8.7)
   * @param anyClamped some state's exponent was clamped to {@code [0, sMax]}
   * @param rho the top residual {@code rho_l = r_l - Phi(shat_l)} of every state
   * @param hellingerResidual {@code e_l = Hel(p_l, p(shat_l))} of every state
   * @param steps per-step quantities
   * @param stepsHold every step satisfies {@code observed <= middle <= bound} up to rounding
   * @param maxStepRatio the largest per-step {@code observed / bound}
   * @param chainObserved {@code m sum_l |Delta shat_l|}
   * @param chainMiddle {@code sum_l |Delta r_l - Delta rho_l|}
   * @param chainBound {@code |r_L - r_0| + S + sum_l |Delta rho_l|} (8.8)
   * @param chainRatio {@code chainObserved / chainBound}
   * @param chainHolds {@code chainObserved <= chainBound} up to rounding
   * @param residualVariation {@code sum_l |Delta rho_l|}
   * @param amplitudeBound {@code (log M + sum_l |Delta rho_l|) / m}, which bounds {@code sum_l |Delta shat_l|}
   * @param budgetBound the depth budget {@code (log M) / (m L)} (8.9)
   * @param maxDrift {@code max_l |Delta shat_l|}
   * @param meanDrift {@code (1/L) sum_l |Delta shat_l|}
   * @param meanDriftBound {@code (log M + sum_l |Delta rho_l|) / (m L)}, bounds {@code meanDrift} unconditionally
   * @param budgetHypotheses whether the hypotheses of 8.9 hold (uniform budget, zero slack, exact chart), each to
   *     a relative {@code 1e-6}; when they do, {@code maxDrift <= budgetBound}
   * @param hellingerVariation {@code sum_l |e_{l+1} - e_l|} (8.10)
   * @param buresVariation {@code sqrt(2d)} times {@code hellingerVariation}
   * @param fisherAction {@code sum_l I(shat_l) Delta shat_l^2} (8.11)
   * @param klAction {@code sum_l KL(p(shat_l) || p(shat_{l+1}))}
   * @param klLower {@code sum_l (1/2) min I Delta shat_l^2}
   * @param klUpper {@code sum_l (1/2) max I Delta shat_l^2}
   * @param buresAction {@code sum_l d_BW^2} between consecutive orbit points
   * @param quarterDFisher {@code (d/4)} times the Fisher action (Bures equals it up to a cubic remainder)
   * @param cubicSum {@code sum_l |Delta shat_l|^3}, the scale of that remainder
   * @param pathSquared {@code (sum_l |Delta shat_l|)^2}
   * @param stepsTimesSumSquares {@code L sum_l Delta shat_l^2} (Cauchy-Schwarz: {@code pathSquared} is at most this)
   */
  public record ChartChain(
      String chart,
      double windowLo,
      double windowHi,
      double margin,
      boolean anyClamped,
      double[] rho,
      double[] hellingerResidual,
      List<ChartStep> steps,
      boolean stepsHold,
      double maxStepRatio,
      double chainObserved,
      double chainMiddle,
      double chainBound,
      double chainRatio,
      boolean chainHolds,
      double residualVariation,
      double amplitudeBound,
      double budgetBound,
      double maxDrift,
      double meanDrift,
      double meanDriftBound,
      BudgetHypotheses budgetHypotheses,
      double hellingerVariation,
      double buresVariation,
      double fisherAction,
      double klAction,
      double klLower,
      double klUpper,
      double buresAction,
      double quarterDFisher,
      double cubicSum,
      double pathSquared,
      double stepsTimesSumSquares) {

    /** Copies the step list so the record is immutable. */
    public ChartChain {
      steps = List.copyOf(steps);
    }
  }

  /**
   * The hypotheses of the depth budget 8.9.
   *
   * @param uniformBudget {@code max_l a_l <= (log M) / L} (all amplitudes equal)
   * @param zeroSlack {@code S = 0}
   * @param exactChart {@code sum_l |Delta rho_l| = 0}
   * @param all all three
   */
  public record BudgetHypotheses(boolean uniformBudget, boolean zeroSlack, boolean exactChart, boolean all) {}
}
