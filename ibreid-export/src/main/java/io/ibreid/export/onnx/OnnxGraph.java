package io.ibreid.export.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model being built: nodes in execution order, float initializers (the weights), typed graph inputs and
 * outputs, and metadata; {@link #write} encodes it as an ONNX {@code ModelProto} (IR version 8, default-domain opset
 * {@link #OPSET}). Field numbers follow {@code onnx.proto}; tests check the result with ONNX Runtime and with the
 * {@code onnx} package's checker.
 */
public final class OnnxGraph {
  /** The opset of the default domain the graphs use (ReduceL2 with an {@code axes} attribute: opset 13 to 17). */
  public static final int OPSET = 13;
  private static final int IR_VERSION = 8;
  private static final int FLOAT = 1;
  private static final int INT64 = 7;
  private static final int ATTR_FLOAT = 1;
  private static final int ATTR_INT = 2;
  private static final int ATTR_INTS = 7;

  /** An attribute of a node: an int, a float or a list of ints. */
  public record Attribute(String name, Object value) {
    public static Attribute of(String name, long i) {
      return new Attribute(name, i);
    }

    public static Attribute of(String name, float f) {
      return new Attribute(name, f);
    }

    public static Attribute of(String name, long... ints) {
      return new Attribute(name, ints.clone());
    }
  }

  private record Node(String op, String name, List<String> inputs, List<String> outputs, List<Attribute> attributes) {}

  private record Tensor(String name, long[] dims, float[] floats, long[] longs) {}

  private record Value(String name, Object[] dims) {}

  private final String name;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Tensor> initializers = new ArrayList<>();
  private final List<Value> inputs = new ArrayList<>();
  private final List<Value> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final java.util.Set<String> names = new java.util.HashSet<>();

  public OnnxGraph(String name) {
    this.name = name;
  }

  /** A float input; a dimension is a {@code Long} (fixed) or a {@code String} (symbolic, e.g. {@code "N"}). */
  public void input(String name, Object... dims) {
    inputs.add(new Value(name, dims));
  }

  /** A float output (dimensions as for {@link #input}). */
  public void output(String name, Object... dims) {
    outputs.add(new Value(name, dims));
  }

  /** A float weight of shape {@code dims} (C order); returns its name. */
  public String constant(String name, float[] values, long... dims) {
    claim(name);
    initializers.add(new Tensor(name, dims.clone(), values, null));
    return name;
  }

  /** An int64 constant (e.g. a shape); returns its name. */
  public String constantLongs(String name, long[] values, long... dims) {
    claim(name);
    initializers.add(new Tensor(name, dims.clone(), null, values));
    return name;
  }

  /** A node of the default domain with one output named {@code output}; returns the output's name. */
  public String node(String op, String output, List<String> in, Attribute... attributes) {
    claim(output);
    nodes.add(new Node(op, output, List.copyOf(in), List.of(output), List.of(attributes)));
    return output;
  }

  public void metadata(String key, String value) {
    metadata.put(key, value);
  }

  /** Whether a tensor of this name exists (a node's output or a constant). */
  public boolean has(String tensor) {
    return names.contains(tensor);
  }

  private void claim(String tensor) {
    if (!names.add(tensor)) {
      throw new IllegalStateException("ONNX tensor name " + tensor + " is used twice");
    }
  }

  /** Count of nodes, by operator. */
  public Map<String, Integer> operatorCounts() {
    Map<String, Integer> m = new LinkedHashMap<>();
    nodes.forEach(n -> m.merge(n.op(), 1, Integer::sum));
    return m;
  }

  /** Writes the model as an ONNX protobuf. */
  public void write(OutputStream out, String producerVersion, String doc) throws IOException {
    Protobuf graph = new Protobuf();
    for (Node n : nodes) {
      Protobuf p = new Protobuf();
      n.inputs().forEach(i -> p.string(1, i));
      n.outputs().forEach(o -> p.string(2, o));
      p.string(3, n.name()).string(4, n.op());
      for (Attribute a : n.attributes()) {
        p.message(5, attribute(a));
      }
      graph.message(1, p);
    }
    graph.string(2, name);
    for (Tensor t : initializers) {
      graph.message(5, tensor(t));
    }
    for (Value v : inputs) {
      graph.message(11, value(v));
    }
    for (Value v : outputs) {
      graph.message(12, value(v));
    }
    Protobuf model = new Protobuf().int64(1, IR_VERSION).string(2, "ibreid").string(3, producerVersion);
    if (doc != null) {
      model.string(6, doc);
    }
    model.message(7, graph);
    model.message(8, new Protobuf().string(1, "").int64(2, OPSET));
    metadata.forEach((k, v) -> model.message(14, new Protobuf().string(1, k).string(2, v)));
    out.write(model.toByteArray());
  }

  private static Protobuf attribute(Attribute a) {
    Protobuf p = new Protobuf().string(1, a.name());
    if (a.value() instanceof Long i) {
      p.int64(3, i).int64(20, ATTR_INT);
    } else if (a.value() instanceof Float f) {
      p.float32(2, f).int64(20, ATTR_FLOAT);
    } else {
      for (long i : (long[]) a.value()) {
        p.int64(8, i);
      }
      p.int64(20, ATTR_INTS);
    }
    return p;
  }

  private static Protobuf tensor(Tensor t) {
    Protobuf p = new Protobuf();
    for (long d : t.dims()) {
      p.int64(1, d);
    }
    ByteBuffer raw;
    if (t.floats() != null) {
      p.int64(2, FLOAT);
      raw = ByteBuffer.allocate(4 * t.floats().length).order(ByteOrder.LITTLE_ENDIAN);
      raw.asFloatBuffer().put(t.floats());
    } else {
      p.int64(2, INT64);
      raw = ByteBuffer.allocate(8 * t.longs().length).order(ByteOrder.LITTLE_ENDIAN);
      raw.asLongBuffer().put(t.longs());
    }
    return p.string(8, t.name()).bytes(9, raw.array());
  }

  private static Protobuf value(Value v) {
    Protobuf shape = new Protobuf();
    for (Object d : v.dims()) {
      Protobuf dim = new Protobuf();
      if (d instanceof String s) {
        dim.string(2, s);
      } else {
        dim.int64(1, ((Number) d).longValue());
      }
      shape.message(1, dim);
    }
    Protobuf tensorType = new Protobuf().int64(1, FLOAT).message(2, shape);
    return new Protobuf().string(1, v.name()).message(2, new Protobuf().message(1, tensorType));
  }
}
