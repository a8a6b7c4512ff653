package dev.cartan.cli.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The one Jackson mapper of the readers, with tight limits for hostile headers, and strict UTF-8 decoding. */
final class Json {
  private Json() {}

  /** Nesting depth 64 is far above what any header uses and keeps recursion shallow. */
  static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(64)
                      .maxStringLength(16 << 20)
                      .maxNumberLength(64)
                      .build())
              .build());

  /** Decodes UTF-8 strictly (malformed or unmappable input is an error, never a replacement character). */
  static String utf8(Path file, String tensor, byte[] bytes, int off, int len, String what)
      throws CheckpointFormatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, off, len))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CheckpointFormatException(file, tensor, what + " is not valid UTF-8", e);
    }
  }
}
