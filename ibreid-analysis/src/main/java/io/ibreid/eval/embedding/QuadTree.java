package io.ibreid.eval.embedding;

import java.util.Arrays;

/**
 * A point quadtree over a 2-D layout for the Barnes-Hut approximation of t-SNE's repulsive forces (van der Maaten,
 * JMLR 2014): every cell keeps its point count and the sum of its points' coordinates (its centre of mass). A cell
 * far enough from a point (cell width / distance to its centre of mass below theta) acts as one body of its count at
 * its centre of mass. Leaves hold one point, except at the depth limit (coincident or nearly coincident points),
 * where a leaf holds them all. Built in point order, so it is the same for the same layout.
 */
final class QuadTree {
  private static final int MAX_DEPTH = 48;

  private final double[] y;
  private int nodes;
  private double[] cx = new double[64];
  private double[] cy = new double[64];
  private double[] half = new double[64];
  private double[] sumX = new double[64];
  private double[] sumY = new double[64];
  private int[] count = new int[64];
  private int[] firstChild = new int[64]; // -1 for a leaf
  private int[] point = new int[64]; // a leaf's first point, -1 when empty
  private int[] depth = new int[64];
  private final int[] leafOf;

  QuadTree(double[] y, int n) {
    this.y = y;
    this.leafOf = new int[n];
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      minX = Math.min(minX, y[2 * i]);
      maxX = Math.max(maxX, y[2 * i]);
      minY = Math.min(minY, y[2 * i + 1]);
      maxY = Math.max(maxY, y[2 * i + 1]);
    }
    double h = Math.max(maxX - minX, maxY - minY) / 2;
    h = h * (1 + 1e-9) + 1e-12; // every point strictly inside
    newNode((minX + maxX) / 2, (minY + maxY) / 2, h, 0);
    for (int i = 0; i < n; i++) {
      insert(i);
    }
  }

  private int newNode(double x, double yy, double h, int d) {
    if (nodes == cx.length) {
      int cap = nodes * 2;
      cx = Arrays.copyOf(cx, cap);
      cy = Arrays.copyOf(cy, cap);
      half = Arrays.copyOf(half, cap);
      sumX = Arrays.copyOf(sumX, cap);
      sumY = Arrays.copyOf(sumY, cap);
      count = Arrays.copyOf(count, cap);
      firstChild = Arrays.copyOf(firstChild, cap);
      point = Arrays.copyOf(point, cap);
      depth = Arrays.copyOf(depth, cap);
    }
    int id = nodes++;
    cx[id] = x;
    cy[id] = yy;
    half[id] = h;
    firstChild[id] = -1;
    point[id] = -1;
    depth[id] = d;
    return id;
  }

  private int quadrant(int node, double px, double py) {
    return (px >= cx[node] ? 1 : 0) + (py >= cy[node] ? 2 : 0);
  }

  private void insert(int i) {
    double px = y[2 * i];
    double py = y[2 * i + 1];
    int node = 0;
    while (true) {
      count[node]++;
      sumX[node] += px;
      sumY[node] += py;
      if (firstChild[node] >= 0) {
        node = firstChild[node] + quadrant(node, px, py);
        continue;
      }
      if (point[node] < 0) {
        point[node] = i;
        leafOf[i] = node;
        return;
      }
      int other = point[node];
      boolean coincident = y[2 * other] == px && y[2 * other + 1] == py;
      if (coincident || depth[node] >= MAX_DEPTH) {
        leafOf[i] = node; // a leaf holding several points
        return;
      }
      // split: move the resident point (and any points coincident with it) down one level
      double h = half[node] / 2;
      int first = newNode(cx[node] - h, cy[node] - h, h, depth[node] + 1);
      newNode(cx[node] + h, cy[node] - h, h, depth[node] + 1);
      newNode(cx[node] - h, cy[node] + h, h, depth[node] + 1);
      newNode(cx[node] + h, cy[node] + h, h, depth[node] + 1);
      firstChild[node] = first;
      int residents = count[node] - 1; // all at the resident's position (a multi-point leaf only forms there)
      int child = first + quadrant(node, y[2 * other], y[2 * other + 1]);
      count[child] = residents;
      sumX[child] = sumX[node] - px;
      sumY[child] = sumY[node] - py;
      point[child] = other;
      point[node] = -1;
      if (residents > 1) { // coincident points: rare, so a scan is fine
        for (int j = 0; j < leafOf.length; j++) {
          if (leafOf[j] == node && j != i) {
            leafOf[j] = child;
          }
        }
      }
      leafOf[other] = child;
      node = first + quadrant(node, px, py);
      // continue the loop: the new point descends into its child (count and sums are added there)
    }
  }

  /**
   * Adds to {@code out} the approximate repulsion on point i: {@code out[0] += sum_j w_ij}, {@code out[1..2] +=
   * sum_j w_ij^2 (y_i - y_j)}, {@code w = (1 + d^2)^-1}, over every point j != i, with cells meeting the criterion
   * taken whole. With theta = 0 every cell is opened down to its leaves, which is exact.
   */
  void repulsion(int i, double theta, double[] out, int[] stack) {
    double px = y[2 * i];
    double py = y[2 * i + 1];
    double z = 0;
    double rx = 0;
    double ry = 0;
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      int node = stack[--top];
      int m = count[node];
      if (m == 0) {
        continue;
      }
      double comX = sumX[node];
      double comY = sumY[node];
      if (firstChild[node] < 0) {
        if (leafOf[i] == node) {
          m -= 1; // the other points of a multi-point leaf
          if (m == 0) {
            continue;
          }
          comX -= px;
          comY -= py;
        }
      } else {
        boolean inside = Math.abs(px - cx[node]) <= half[node] && Math.abs(py - cy[node]) <= half[node];
        double dx = px - comX / m;
        double dy = py - comY / m;
        double d2 = dx * dx + dy * dy;
        double width = 2 * half[node];
        if (inside || !(width * width < theta * theta * d2)) {
          int c = firstChild[node];
          stack[top++] = c;
          stack[top++] = c + 1;
          stack[top++] = c + 2;
          stack[top++] = c + 3;
          continue;
        }
      }
      double dx = px - comX / m;
      double dy = py - comY / m;
      double w = 1.0 / (1.0 + (dx * dx + dy * dy));
      z += m * w;
      double ww = m * w * w;
      rx += ww * dx;
      ry += ww * dy;
    }
    out[0] += z;
    out[1] += rx;
    out[2] += ry;
  }

  /** Stack size enough for any traversal: each level pops one cell and pushes four. */
  static int stackSize() {
    return 3 * (MAX_DEPTH + 1) + 4;
  }
}
