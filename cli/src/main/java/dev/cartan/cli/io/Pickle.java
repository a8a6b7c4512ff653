package dev.cartan.cli.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data-only interpreter of the pickle opcodes that {@code torch.save} emits for state dicts (protocols 2-5,
 * CPython {@code Lib/pickletools.py} for the opcode definitions). Nothing is executed: the only callables are an
 * allow-list of globals, each mapped to a Java constructor of plain data:
 *
 * <ul>
 *   <li>{@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} and
 *       {@code torch._utils._rebuild_parameter(tensor, ...)} give a {@link TensorRef};
 *   <li>{@code collections.OrderedDict()} gives a map;
 *   <li>{@code torch.<T>Storage} classes only appear inside persistent ids
 *       {@code ('storage', class, key, location, numel)}, which give a {@link StorageRef}.
 * </ul>
 *
 * Any other global is refused with a message naming it; opcodes that build arbitrary objects (INST, OBJ,
 * NEWOBJ, EXT*, PERSID text form) are refused. Lengths are checked against the remaining bytes before allocation;
 * the machine is linear in the input size.
 */
final class Pickle {
  /** A storage named by a persistent id: element type, zip key and element count. */
  record StorageRef(DType dtype, String key, long numel) {}

  /** A tensor: a view of a storage with an element offset, shape and element strides. */
  record TensorRef(StorageRef storage, long offset, long[] shape, long[] strides) {}

  /** An opaque allow-listed callable. */
  record Global(String module, String name) {}

  /** A pickled tuple. */
  record Tuple(List<Object> items) {}

  private static final Object MARK = new Object();

  static final Map<String, DType> STORAGES = Map.ofEntries(
      Map.entry("FloatStorage", DType.F32), Map.entry("DoubleStorage", DType.F64),
      Map.entry("HalfStorage", DType.F16), Map.entry("BFloat16Storage", DType.BF16),
      Map.entry("LongStorage", DType.I64), Map.entry("IntStorage", DType.I32),
      Map.entry("ShortStorage", DType.I16), Map.entry("CharStorage", DType.I8),
      Map.entry("ByteStorage", DType.U8), Map.entry("BoolStorage", DType.BOOL));

  private static final Set<String> CALLABLES = Set.of(
      "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter", "collections.OrderedDict");

  /**
   * Cap on stack pushes: a 50 000-tensor state dict needs about 1.5 million; the cap bounds memory (about 100 bytes
   * per object) for hostile programs made of one-byte opcodes.
   */
  static final long MAX_PUSHES = 4_000_000;

  private final Path file;
  private final ByteBuffer b;
  private long pushes;
  private final List<Object> stack = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();

  private Pickle(Path file, byte[] data) {
    this.file = file;
    this.b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Runs the pickle program and returns the object left by STOP. */
  static Object load(Path file, byte[] data) throws CheckpointFormatException {
    try {
      return new Pickle(file, data).run();
    } catch (java.nio.BufferUnderflowException e) {
      throw new CheckpointFormatException(file, null, "pickle data end inside an opcode", e);
    } catch (ClassCastException | IndexOutOfBoundsException e) {
      throw new CheckpointFormatException(file, null, "pickle data have an unexpected structure: " + e.getMessage(),
          e);
    }
  }

  private CheckpointFormatException error(String msg) {
    return new CheckpointFormatException(file, null, "pickle at byte " + b.position() + ": " + msg);
  }

  private Object pop() throws CheckpointFormatException {
    if (stack.isEmpty()) {
      throw error("stack underflow");
    }
    Object o = stack.remove(stack.size() - 1);
    if (o == MARK) {
      throw error("unexpected MARK");
    }
    return o;
  }

  private Object top() throws CheckpointFormatException {
    if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
      throw error("stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  /** Pops back to the last MARK and returns the items above it in order. */
  private List<Object> popMark() throws CheckpointFormatException {
    for (int i = stack.size() - 1; i >= 0; i--) {
      if (stack.get(i) == MARK) {
        List<Object> items = new ArrayList<>(stack.subList(i + 1, stack.size()));
        stack.subList(i, stack.size()).clear();
        return items;
      }
    }
    throw error("no MARK on the stack");
  }

  private byte[] bytes(long n) throws CheckpointFormatException {
    if (n < 0 || n > b.remaining()) {
      throw error("length " + n + " exceeds the " + b.remaining() + " remaining bytes");
    }
    byte[] r = new byte[(int) n];
    b.get(r);
    return r;
  }

  private String utf8(long n) throws CheckpointFormatException {
    byte[] r = bytes(n);
    return Json.utf8(file, null, r, 0, r.length, "pickle string");
  }

  private String line() throws CheckpointFormatException {
    int start = b.position();
    for (int i = start; i < b.limit() && i - start < 256; i++) {
      if (b.get(i) == '\n') {
        String s = new String(b.array(), start, i - start, StandardCharsets.ISO_8859_1);
        b.position(i + 1);
        return s;
      }
    }
    throw error("unterminated GLOBAL name");
  }

  @SuppressWarnings("unchecked")
  private Object run() throws CheckpointFormatException {
    while (b.hasRemaining()) {
      if (stack.size() > 0 && ++pushes > MAX_PUSHES) {
        throw error("more than " + MAX_PUSHES + " operations on a non-empty stack; refusing");
      }
      int op = b.get() & 0xff;
      switch (op) {
        case 0x80 -> { // PROTO u8
          int v = b.get() & 0xff;
          if (v < 2 || v > 5) {
            throw error("pickle protocol " + v + " is not supported (2-5)");
          }
        }
        case 0x95 -> b.getLong(); // FRAME u64: framing is a hint only
        case '.' -> { // STOP
          return pop();
        }
        case '(' -> stack.add(MARK);
        case '0' -> pop(); // POP
        case '1' -> popMark(); // POP_MARK
        case '2' -> stack.add(top()); // DUP
        case '}' -> stack.add(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
        case ']' -> stack.add(new ArrayList<Object>()); // EMPTY_LIST
        case ')' -> stack.add(new Tuple(List.of())); // EMPTY_TUPLE
        case 't' -> stack.add(new Tuple(popMark())); // TUPLE
        case 0x85 -> stack.add(new Tuple(List.of(pop()))); // TUPLE1
        case 0x86 -> { // TUPLE2
          Object y = pop();
          Object x = pop();
          stack.add(new Tuple(List.of(x, y)));
        }
        case 0x87 -> { // TUPLE3
          Object z = pop();
          Object y = pop();
          Object x = pop();
          stack.add(new Tuple(List.of(x, y, z)));
        }
        case 'l' -> stack.add(popMark()); // LIST
        case 'd' -> { // DICT
          List<Object> items = popMark();
          Map<Object, Object> m = new LinkedHashMap<>();
          putPairs(m, items);
          stack.add(m);
        }
        case 'q' -> memo.put((long) (b.get() & 0xff), top()); // BINPUT u8
        case 'r' -> memo.put(b.getInt() & 0xffffffffL, top()); // LONG_BINPUT u32
        case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
        case 'h' -> stack.add(get(b.get() & 0xff)); // BINGET u8
        case 'j' -> stack.add(get(b.getInt() & 0xffffffffL)); // LONG_BINGET u32
        case 'J' -> stack.add((long) b.getInt()); // BININT i32
        case 'K' -> stack.add((long) (b.get() & 0xff)); // BININT1 u8
        case 'M' -> stack.add((long) (b.getShort() & 0xffff)); // BININT2 u16
        case 0x8a -> { // LONG1: u8 length, two's-complement little-endian
          int n = b.get() & 0xff;
          if (n > 8) {
            throw error("LONG1 of " + n + " bytes exceeds 64 bits");
          }
          byte[] v = bytes(n);
          long x = 0;
          for (int i = n - 1; i >= 0; i--) {
            x = (x << 8) | (v[i] & 0xff);
          }
          if (n > 0 && n < 8 && v[n - 1] < 0) {
            x -= 1L << (8 * n);
          }
          stack.add(x);
        }
        case 'N' -> stack.add(null); // NONE
        case 0x88 -> stack.add(Boolean.TRUE); // NEWTRUE
        case 0x89 -> stack.add(Boolean.FALSE); // NEWFALSE
        case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(b.getLong()))); // BINFLOAT f64 big-endian
        case 'X' -> stack.add(utf8(b.getInt() & 0xffffffffL)); // BINUNICODE u32
        case 0x8c -> stack.add(utf8(b.get() & 0xff)); // SHORT_BINUNICODE u8
        case 0x8d -> stack.add(utf8(b.getLong())); // BINUNICODE8 u64
        case 'U' -> stack.add(new String(bytes(b.get() & 0xff), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
        case 'T' -> stack.add(new String(bytes(b.getInt()), StandardCharsets.ISO_8859_1)); // BINSTRING i32
        case 'C' -> stack.add(bytes(b.get() & 0xff)); // SHORT_BINBYTES u8
        case 'B' -> stack.add(bytes(b.getInt() & 0xffffffffL)); // BINBYTES u32
        case 'c' -> stack.add(global(line(), line())); // GLOBAL "module\nname\n"
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw error("STACK_GLOBAL needs two strings");
          }
          stack.add(global(m, n));
        }
        case 'Q' -> stack.add(persistent(pop())); // BINPERSID
        case 'R' -> { // REDUCE
          Object args = pop();
          Object f = pop();
          stack.add(reduce(f, args));
        }
        case 'b' -> { // BUILD: only the state of an OrderedDict (state_dict._metadata) is accepted and ignored
          pop();
          if (!(top() instanceof Map)) {
            throw error("BUILD on a " + describe(top()) + " is not allowed");
          }
        }
        case 's' -> { // SETITEM
          Object v = pop();
          Object k = pop();
          asMap(top()).put(key(k), v);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popMark();
          putPairs(asMap(top()), items);
        }
        case 'a' -> { // APPEND
          Object v = pop();
          asList(top()).add(v);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popMark();
          asList(top()).addAll(items);
        }
        default -> throw error(String.format("opcode 0x%02x is not allowed in a tensor checkpoint", op));
      }
    }
    throw error("no STOP opcode");
  }

  private static Object key(Object k) {
    // Tuples and lists are not hashable in Python; any key becomes its identity here, strings by value.
    return k;
  }

  private void putPairs(Map<Object, Object> m, List<Object> items) throws CheckpointFormatException {
    if (items.size() % 2 != 0) {
      throw error("odd number of dict items");
    }
    for (int i = 0; i < items.size(); i += 2) {
      m.put(key(items.get(i)), items.get(i + 1));
    }
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> asMap(Object o) throws CheckpointFormatException {
    if (o instanceof Map) {
      return (Map<Object, Object>) o;
    }
    throw error("SETITEM on a " + describe(o));
  }

  @SuppressWarnings("unchecked")
  private List<Object> asList(Object o) throws CheckpointFormatException {
    if (o instanceof List) {
      return (List<Object>) o;
    }
    throw error("APPEND on a " + describe(o));
  }

  private static String describe(Object o) {
    return o == null ? "None" : o.getClass().getSimpleName();
  }

  private Object get(long i) throws CheckpointFormatException {
    if (!memo.containsKey(i)) {
      throw error("memo key " + i + " was never stored");
    }
    return memo.get(i);
  }

  private Global global(String module, String name) throws CheckpointFormatException {
    String full = module + "." + name;
    if (CALLABLES.contains(full) || (module.equals("torch") && STORAGES.containsKey(name))) {
      return new Global(module, name);
    }
    throw error("global '" + CheckpointFormatException.printable(full) + "' is not on the allow-list "
        + "(only tensor rebuilds, storages and OrderedDict are accepted; nothing is executed)");
  }

  private StorageRef persistent(Object pid) throws CheckpointFormatException {
    if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))
        || !(t.items().get(1) instanceof Global g) || !g.module().equals("torch")
        || !STORAGES.containsKey(g.name()) || !(t.items().get(2) instanceof String key)
        || !(t.items().get(4) instanceof Long numel)) {
      throw error("persistent id is not ('storage', torch.<T>Storage, key, location, numel)");
    }
    return new StorageRef(STORAGES.get(g.name()), key, numel);
  }

  private Object reduce(Object f, Object args) throws CheckpointFormatException {
    if (!(f instanceof Global g) || !(args instanceof Tuple t)) {
      throw error("REDUCE needs an allow-listed global and an argument tuple");
    }
    List<Object> a = t.items();
    switch (g.module() + "." + g.name()) {
      case "collections.OrderedDict" -> {
        Map<Object, Object> m = new LinkedHashMap<>();
        if (!a.isEmpty()) {
          if (!(a.get(0) instanceof List<?> pairs)) {
            throw error("OrderedDict argument is not a list of pairs");
          }
          for (Object p : pairs) {
            if (!(p instanceof Tuple kv) || kv.items().size() != 2) {
              throw error("OrderedDict argument is not a list of pairs");
            }
            m.put(key(kv.items().get(0)), kv.items().get(1));
          }
        }
        return m;
      }
      case "torch._utils._rebuild_tensor_v2" -> {
        if (a.size() < 4 || !(a.get(0) instanceof StorageRef s) || !(a.get(1) instanceof Long off)) {
          throw error("_rebuild_tensor_v2 needs (storage, offset, size, stride, ...)");
        }
        return new TensorRef(s, off, longs(a.get(2), "size"), longs(a.get(3), "stride"));
      }
      case "torch._utils._rebuild_parameter" -> {
        if (a.isEmpty() || !(a.get(0) instanceof TensorRef tr)) {
          throw error("_rebuild_parameter needs a tensor");
        }
        return tr;
      }
      default -> throw error("global " + g.module() + "." + g.name() + " cannot be called");
    }
  }

  private long[] longs(Object o, String what) throws CheckpointFormatException {
    if (!(o instanceof Tuple t) || t.items().size() > Shapes.MAX_RANK) {
      throw error("tensor " + what + " is not a tuple of at most " + Shapes.MAX_RANK + " ints");
    }
    long[] r = new long[t.items().size()];
    for (int i = 0; i < r.length; i++) {
      if (!(t.items().get(i) instanceof Long v)) {
        throw error("tensor " + what + " entry is not an int");
      }
      r[i] = v;
    }
    return r;
  }
}
