package dev.cartan.cli.analyze;

/** What a weight matrix does in its network (THEORY.md section 9), parsed from its tensor name. */
public enum LayerRole {
  /** Attention query projection. */
  ATTN_Q,
  /** Attention key projection. */
  ATTN_K,
  /** Attention value projection. */
  ATTN_V,
  /** Fused query/key/value projection, before it is split into its parts. */
  ATTN_QKV,
  /** Attention output projection (writes to the residual stream). */
  ATTN_O,
  /** MLP up (first) projection. */
  MLP_UP,
  /** MLP gate projection (gated MLPs: LLaMA, Mistral, Qwen). */
  MLP_GATE,
  /** Fused gate and up projection (e.g. Phi-3), before it is split. */
  MLP_GATE_UP,
  /** MLP down (second) projection (writes to the residual stream). */
  MLP_DOWN,
  /** Convolution kernel. */
  CONV,
  /** Token, position or patch embedding. */
  EMBEDDING,
  /** Output head: language-model head, classifier, pooler. */
  HEAD,
  /** A matrix whose name matched no known family. */
  OTHER;

  /** Lower-case name used in reports, e.g. {@code attn_q}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
