package org.vmlat.stats;

import java.util.function.DoubleUnaryOperator;

/**
 * The goodness of a fit as the correlation of its Q-Q plot: weighted points (representative value
 * of a cell, the model's quantile at the cell's plotting position). 1 is a perfect straight line.
 */
final class QuantilePlot {
    private QuantilePlot() {}

    /**
     * @param values        representative value of each cell, in increasing order
     * @param weight        observations in each cell
     * @param modelQuantile the model's value at a cumulative probability in (0, 1)
     */
    static double correlation(double[] values, double[] weight, DoubleUnaryOperator modelQuantile) {
        double total = 0;
        for (double w : weight) total += w;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, seen = 0;
        for (int i = 0; i < values.length; i++) {
            double w = weight[i];
            if (w == 0) continue;
            double position = (seen + w / 2.0) / total; // plotting position of this cell's run
            seen += w;
            double model = modelQuantile.applyAsDouble(position), y = values[i];
            sx += w * model;
            sy += w * y;
            sxx += w * model * model;
            syy += w * y * y;
            sxy += w * model * y;
        }
        double cov = sxy / total - (sx / total) * (sy / total);
        double vx = sxx / total - Math.pow(sx / total, 2), vy = syy / total - Math.pow(sy / total, 2);
        return vx <= 0 || vy <= 0 || !Double.isFinite(cov) ? 0 : cov / Math.sqrt(vx * vy);
    }
}
