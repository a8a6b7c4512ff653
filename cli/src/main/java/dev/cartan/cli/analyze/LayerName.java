package dev.cartan.cli.analyze;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Role and depth of a weight, parsed from its tensor name for the common model families (THEORY.md section 9).
 *
 * <p>Recognised naming schemes, by example (depth is the block index N):
 *
 * <ul>
 *   <li>LLaMA / Mistral / Qwen / Phi (Hugging Face): {@code model.layers.N.self_attn.q_proj.weight}, {@code
 *       k_proj}, {@code v_proj}, {@code o_proj}, fused {@code qkv_proj}; {@code mlp.gate_proj}, {@code up_proj},
 *       {@code down_proj}, fused {@code gate_up_proj}; {@code model.embed_tokens.weight}; {@code lm_head.weight}.
 *   <li>GPT-2: {@code transformer.h.N.attn.c_attn.weight} (fused qkv), {@code attn.c_proj}, {@code mlp.c_fc},
 *       {@code mlp.c_proj}; {@code wte}, {@code wpe}.
 *   <li>BERT / ViT (Hugging Face): {@code encoder.layer.N.attention.self.query.weight} (ViT: {@code
 *       attention.attention.query}), {@code key}, {@code value}, {@code attention.output.dense}, {@code
 *       intermediate.dense}, {@code output.dense}; {@code embeddings.*_embeddings}; {@code pooler.dense}, {@code
 *       classifier}.
 *   <li>timm ViT: {@code blocks.N.attn.qkv.weight} (fused), {@code attn.proj}, {@code mlp.fc1}, {@code mlp.fc2};
 *       {@code patch_embed.proj}; {@code head}.
 *   <li>ResNet (torchvision): {@code layerS.B.convK.weight}, {@code layerS.B.downsample.0.weight}, stem {@code
 *       conv1.weight}, head {@code fc.weight}; depth counts blocks across stages in file order.
 *   <li>GGUF (llama.cpp): {@code blk.N.attn_q.weight}, {@code attn_k}, {@code attn_v}, {@code attn_qkv}, {@code
 *       attn_output}, {@code ffn_gate}, {@code ffn_up}, {@code ffn_down}; {@code token_embd}; {@code output}.
 * </ul>
 *
 * <p>Anything else gets role {@link LayerRole#CONV} if it has four dimensions, else {@link LayerRole#OTHER}, and
 * depth -1 (callers keep file order). Parsing never fails.
 *
 * @param name the tensor name as stored
 * @param role what the matrix does
 * @param depth the block index, or -1 when the name carries none
 * @param family the naming scheme that matched ({@code llama}, {@code gpt2}, {@code bert}, {@code timm}, {@code
 *     resnet}, {@code gguf}) or {@code unknown}
 */
public record LayerName(String name, LayerRole role, int depth, String family) {

  private static final Pattern LLAMA =
      Pattern.compile("(?:^|\\.)layers\\.(\\d+)\\.(?:self_attn|mlp|attention|feed_forward)\\.(\\w+)\\.weight$");
  private static final Pattern GPT2 = Pattern.compile("(?:^|\\.)h\\.(\\d+)\\.(attn|mlp)\\.(c_attn|c_proj|c_fc)\\.weight$");
  private static final Pattern BERT =
      Pattern.compile("(?:^|\\.)layer\\.(\\d+)\\.(attention\\.(?:self|attention)\\.(query|key|value)"
          + "|attention\\.output\\.dense|intermediate\\.dense|output\\.dense)\\.weight$");
  private static final Pattern TIMM = Pattern.compile("(?:^|\\.)blocks\\.(\\d+)\\.(attn\\.qkv|attn\\.proj|mlp\\.fc1|mlp\\.fc2)\\.weight$");
  private static final Pattern RESNET = Pattern.compile("(?:^|\\.)layer(\\d+)\\.(\\d+)\\.(conv\\d+|downsample\\.0)\\.weight$");
  private static final Pattern GGUF = Pattern.compile("^blk\\.(\\d+)\\.(\\w+)\\.weight$");
  private static final Pattern EMBED =
      Pattern.compile("(?:^|\\.)(embed_tokens|wte|wpe|word_embeddings|position_embeddings|token_type_embeddings"
          + "|token_embd|patch_embed\\.proj|patch_embeddings\\.projection|tok_embeddings)\\.weight$");
  private static final Pattern HEAD =
      Pattern.compile("(?:^|\\.)(lm_head|output|head|fc|classifier|pooler\\.dense|score)\\.weight$");

  /** Parses {@code name}; {@code rank} is the number of dimensions of the stored tensor (used for conv). */
  public static LayerName parse(String name, int rank) {
    Matcher m = LLAMA.matcher(name);
    if (m.find()) {
      LayerRole role = llamaRole(m.group(2));
      if (role != null) {
        return new LayerName(name, role, Integer.parseInt(m.group(1)), "llama");
      }
    }
    m = GPT2.matcher(name);
    if (m.find()) {
      LayerRole role;
      switch (m.group(3)) {
        case "c_attn":
          role = LayerRole.ATTN_QKV;
          break;
        case "c_fc":
          role = LayerRole.MLP_UP;
          break;
        default:
          role = m.group(2).equals("attn") ? LayerRole.ATTN_O : LayerRole.MLP_DOWN;
      }
      return new LayerName(name, role, Integer.parseInt(m.group(1)), "gpt2");
    }
    m = BERT.matcher(name);
    if (m.find()) {
      LayerRole role;
      if (m.group(3) != null) {
        role = m.group(3).equals("query") ? LayerRole.ATTN_Q
            : m.group(3).equals("key") ? LayerRole.ATTN_K : LayerRole.ATTN_V;
      } else if (m.group(2).startsWith("attention.output")) {
        role = LayerRole.ATTN_O;
      } else if (m.group(2).startsWith("intermediate")) {
        role = LayerRole.MLP_UP;
      } else {
        role = LayerRole.MLP_DOWN;
      }
      return new LayerName(name, role, Integer.parseInt(m.group(1)), "bert");
    }
    m = TIMM.matcher(name);
    if (m.find()) {
      LayerRole role;
      switch (m.group(2)) {
        case "attn.qkv":
          role = LayerRole.ATTN_QKV;
          break;
        case "attn.proj":
          role = LayerRole.ATTN_O;
          break;
        case "mlp.fc1":
          role = LayerRole.MLP_UP;
          break;
        default:
          role = LayerRole.MLP_DOWN;
      }
      return new LayerName(name, role, Integer.parseInt(m.group(1)), "timm");
    }
    m = GGUF.matcher(name);
    if (m.find()) {
      LayerRole role = ggufRole(m.group(2));
      if (role != null) {
        return new LayerName(name, role, Integer.parseInt(m.group(1)), "gguf");
      }
    }
    m = RESNET.matcher(name);
    if (m.find()) {
      // Stage and block become one depth in resnetDepths(); here the stage-major index is provisional.
      int depth = Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2));
      return new LayerName(name, LayerRole.CONV, depth, "resnet");
    }
    if (EMBED.matcher(name).find()) {
      return new LayerName(name, LayerRole.EMBEDDING, -1, "unknown");
    }
    if (HEAD.matcher(name).find()) {
      return new LayerName(name, LayerRole.HEAD, -1, "unknown");
    }
    return new LayerName(name, rank == 4 ? LayerRole.CONV : LayerRole.OTHER, -1, "unknown");
  }

  /**
   * Parses every name, then renumbers ResNet blocks ({@code layerS.B}) into consecutive depths 0, 1, 2, ... in
   * (stage, block) order, so a profile over depth runs across stages.
   *
   * @param names tensor names in file order
   * @param ranks their numbers of dimensions
   */
  public static List<LayerName> parseAll(List<String> names, List<Integer> ranks) {
    if (names.size() != ranks.size()) {
      throw new IllegalArgumentException(names.size() + " names but " + ranks.size() + " ranks");
    }
    List<LayerName> out = new ArrayList<>(names.size());
    java.util.TreeSet<Integer> resnetKeys = new java.util.TreeSet<>();
    for (int i = 0; i < names.size(); i++) {
      LayerName n = parse(names.get(i), ranks.get(i));
      out.add(n);
      if (n.family.equals("resnet")) {
        resnetKeys.add(n.depth);
      }
    }
    if (!resnetKeys.isEmpty()) {
      List<Integer> keys = new ArrayList<>(resnetKeys);
      for (int i = 0; i < out.size(); i++) {
        LayerName n = out.get(i);
        if (n.family.equals("resnet")) {
          out.set(i, new LayerName(n.name, n.role, keys.indexOf(n.depth), n.family));
        }
      }
    }
    return out;
  }

  /**
   * One block of a fused matrix: rows {@code [row, row + rows)} and columns {@code [col, col + cols)} of the
   * stored 2-D matrix, with the role of that block.
   */
  public record Part(LayerRole role, int row, int col, int rows, int cols) {}

  /**
   * How to split this matrix, stored with {@code rows x cols} elements, into its parts, when the shape says so:
   * a fused qkv of shape {@code 3d x d} (PyTorch Linear, out x in) splits into three {@code d x d} row blocks
   * q, k, v; one of shape {@code d x 3d} (GPT-2's Conv1D stores in x out) into three column blocks; a fused
   * gate/up of shape {@code 2f x d} into gate then up. Any other shape (for example grouped-query attention, where
   * k and v are narrower than q and the split needs the model's head counts) is not split: the result is the one
   * whole-matrix part with the fused role.
   */
  public List<Part> split(int rows, int cols) {
    if (role == LayerRole.ATTN_QKV) {
      LayerRole[] qkv = {LayerRole.ATTN_Q, LayerRole.ATTN_K, LayerRole.ATTN_V};
      List<Part> parts = new ArrayList<>(3);
      if (rows == 3 * cols) {
        for (int i = 0; i < 3; i++) {
          parts.add(new Part(qkv[i], i * cols, 0, cols, cols));
        }
        return parts;
      }
      if (cols == 3 * rows) {
        for (int i = 0; i < 3; i++) {
          parts.add(new Part(qkv[i], 0, i * rows, rows, rows));
        }
        return parts;
      }
    }
    if (role == LayerRole.MLP_GATE_UP && rows % 2 == 0 && rows > 0) {
      int h = rows / 2;
      return List.of(new Part(LayerRole.MLP_GATE, 0, 0, h, cols), new Part(LayerRole.MLP_UP, h, 0, h, cols));
    }
    return List.of(new Part(role, 0, 0, rows, cols));
  }

  private static LayerRole llamaRole(String proj) {
    switch (proj.toLowerCase(Locale.ROOT)) {
      case "q_proj":
      case "wq":
        return LayerRole.ATTN_Q;
      case "k_proj":
      case "wk":
        return LayerRole.ATTN_K;
      case "v_proj":
      case "wv":
        return LayerRole.ATTN_V;
      case "qkv_proj":
      case "query_key_value":
        return LayerRole.ATTN_QKV;
      case "o_proj":
      case "wo":
      case "dense":
        return LayerRole.ATTN_O;
      case "gate_proj":
      case "w1":
        return LayerRole.MLP_GATE;
      case "up_proj":
      case "w3":
        return LayerRole.MLP_UP;
      case "gate_up_proj":
        return LayerRole.MLP_GATE_UP;
      case "down_proj":
      case "w2":
      case "fc2":
        return LayerRole.MLP_DOWN;
      case "fc1":
        return LayerRole.MLP_UP;
      default:
        return null;
    }
  }

  private static LayerRole ggufRole(String part) {
    switch (part) {
      case "attn_q":
        return LayerRole.ATTN_Q;
      case "attn_k":
        return LayerRole.ATTN_K;
      case "attn_v":
        return LayerRole.ATTN_V;
      case "attn_qkv":
        return LayerRole.ATTN_QKV;
      case "attn_output":
        return LayerRole.ATTN_O;
      case "ffn_gate":
        return LayerRole.MLP_GATE;
      case "ffn_up":
        return LayerRole.MLP_UP;
      case "ffn_down":
        return LayerRole.MLP_DOWN;
      default:
        return null;
    }
  }
}
