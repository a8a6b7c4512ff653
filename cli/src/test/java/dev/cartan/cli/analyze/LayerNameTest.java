package dev.cartan.cli.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LayerNameTest {

  @ParameterizedTest
  @CsvSource({
    "model.layers.0.self_attn.q_proj.weight, ATTN_Q, 0, llama",
    "model.layers.11.self_attn.k_proj.weight, ATTN_K, 11, llama",
    "model.layers.3.self_attn.v_proj.weight, ATTN_V, 3, llama",
    "model.layers.3.self_attn.o_proj.weight, ATTN_O, 3, llama",
    "model.layers.31.mlp.gate_proj.weight, MLP_GATE, 31, llama",
    "model.layers.31.mlp.up_proj.weight, MLP_UP, 31, llama",
    "model.layers.31.mlp.down_proj.weight, MLP_DOWN, 31, llama",
    "model.layers.2.self_attn.qkv_proj.weight, ATTN_QKV, 2, llama",
    "model.layers.2.mlp.gate_up_proj.weight, MLP_GATE_UP, 2, llama",
    "layers.4.attention.wq.weight, ATTN_Q, 4, llama",
    "layers.4.feed_forward.w2.weight, MLP_DOWN, 4, llama",
    "model.embed_tokens.weight, EMBEDDING, -1, unknown",
    "lm_head.weight, HEAD, -1, unknown",
    "transformer.h.5.attn.c_attn.weight, ATTN_QKV, 5, gpt2",
    "h.5.attn.c_proj.weight, ATTN_O, 5, gpt2",
    "transformer.h.5.mlp.c_fc.weight, MLP_UP, 5, gpt2",
    "transformer.h.5.mlp.c_proj.weight, MLP_DOWN, 5, gpt2",
    "transformer.wte.weight, EMBEDDING, -1, unknown",
    "bert.encoder.layer.7.attention.self.query.weight, ATTN_Q, 7, bert",
    "bert.encoder.layer.7.attention.self.value.weight, ATTN_V, 7, bert",
    "bert.encoder.layer.7.attention.output.dense.weight, ATTN_O, 7, bert",
    "bert.encoder.layer.7.intermediate.dense.weight, MLP_UP, 7, bert",
    "bert.encoder.layer.7.output.dense.weight, MLP_DOWN, 7, bert",
    "bert.embeddings.word_embeddings.weight, EMBEDDING, -1, unknown",
    "bert.pooler.dense.weight, HEAD, -1, unknown",
    "vit.encoder.layer.2.attention.attention.key.weight, ATTN_K, 2, bert",
    "blocks.9.attn.qkv.weight, ATTN_QKV, 9, timm",
    "blocks.9.attn.proj.weight, ATTN_O, 9, timm",
    "blocks.9.mlp.fc1.weight, MLP_UP, 9, timm",
    "blocks.9.mlp.fc2.weight, MLP_DOWN, 9, timm",
    "head.weight, HEAD, -1, unknown",
    "blk.12.attn_q.weight, ATTN_Q, 12, gguf",
    "blk.12.attn_output.weight, ATTN_O, 12, gguf",
    "blk.12.ffn_gate.weight, MLP_GATE, 12, gguf",
    "blk.12.ffn_down.weight, MLP_DOWN, 12, gguf",
    "token_embd.weight, EMBEDDING, -1, unknown",
    "output.weight, HEAD, -1, unknown",
    "fc.weight, HEAD, -1, unknown",
    "some.custom.matrix, OTHER, -1, unknown",
  })
  void parsesRoleAndDepth(String name, LayerRole role, int depth, String family) {
    LayerName n = LayerName.parse(name, 2);
    assertEquals(role, n.role(), name);
    assertEquals(depth, n.depth(), name);
    assertEquals(family, n.family(), name);
  }

  @Test
  void unknownFourDimensionalTensorIsConv() {
    assertEquals(LayerRole.CONV, LayerName.parse("conv2d_10.w_0", 4).role());
    assertEquals(LayerRole.OTHER, LayerName.parse("conv2d_10.w_0", 2).role());
  }

  @Test
  void resnetBlocksAreNumberedAcrossStages() {
    List<String> names = List.of("conv1.weight", "layer1.0.conv1.weight", "layer1.0.conv2.weight",
        "layer1.1.conv1.weight", "layer2.0.conv1.weight", "layer2.0.downsample.0.weight", "layer10.0.conv1.weight",
        "fc.weight");
    List<LayerName> parsed = LayerName.parseAll(names, List.of(4, 4, 4, 4, 4, 4, 4, 2));
    int[] expected = {-1, 0, 0, 1, 2, 2, 3, -1};
    for (int i = 0; i < names.size(); i++) {
      assertEquals(expected[i], parsed.get(i).depth(), names.get(i));
    }
    assertEquals(LayerRole.CONV, parsed.get(0).role());
    assertEquals(LayerRole.HEAD, parsed.get(7).role());
  }

  @Test
  void fusedQkvSplitsWhenTheShapeSaysSo() {
    LayerName qkv = LayerName.parse("blocks.0.attn.qkv.weight", 2);
    List<LayerName.Part> rows = qkv.split(3 * 64, 64);
    assertEquals(List.of(
        new LayerName.Part(LayerRole.ATTN_Q, 0, 0, 64, 64),
        new LayerName.Part(LayerRole.ATTN_K, 64, 0, 64, 64),
        new LayerName.Part(LayerRole.ATTN_V, 128, 0, 64, 64)), rows);
    List<LayerName.Part> cols = LayerName.parse("h.0.attn.c_attn.weight", 2).split(768, 2304);
    assertEquals(new LayerName.Part(LayerRole.ATTN_V, 0, 1536, 768, 768), cols.get(2));
    // Grouped-query attention: q is 4096 wide, k and v 1024 each; the shape alone cannot split it.
    assertEquals(List.of(new LayerName.Part(LayerRole.ATTN_QKV, 0, 0, 6144, 4096)), qkv.split(6144, 4096));
    List<LayerName.Part> gateUp = LayerName.parse("model.layers.0.mlp.gate_up_proj.weight", 2).split(16, 4);
    assertEquals(new LayerName.Part(LayerRole.MLP_UP, 8, 0, 8, 4), gateUp.get(1));
  }
}
