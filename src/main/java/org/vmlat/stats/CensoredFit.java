package org.vmlat.stats;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximum likelihood for interval-censored data: {@code weight[i]} observations are known to lie
 * in [low[i], high[i]) (high may be +infinity), each contributing
 * {@code weight * log(F(high) - F(low))} for the model's distribution function F. Exact values are
 * the limit of narrow intervals; whole-microsecond data are intervals one microsecond wide.
 * Maximised by Nelder-Mead (commons-math3), restarted at its own optimum until it stops moving;
 * the best point seen is returned.
 */
final class CensoredFit {
    /** A parametric family: log P(low &lt;= X &lt; high) under parameters p (-infinity outside the support). */
    interface Family {
        double logProbability(double[] p, double low, double high);
    }

    private CensoredFit() {}

    static double[] maximise(Family family, double[] low, double[] high, double[] weight, double[] start, double[] steps) {
        MultivariateFunction nll = p -> {
            double l = 0;
            for (int i = 0; i < low.length; i++) {
                if (weight[i] == 0) continue;
                double lp = family.logProbability(p, low[i], high[i]);
                if (!(lp > Double.NEGATIVE_INFINITY)) return Double.MAX_VALUE / 4; // outside the support, or NaN
                l -= weight[i] * lp;
            }
            return l;
        };
        // the best point seen, kept by the objective itself: a degenerate likelihood (a few
        // separated clusters) may make the simplex wander off without converging
        double[] bestPoint = start.clone();
        double[] bestValue = {nll.value(start)};
        MultivariateFunction tracked = p -> {
            double v = nll.value(p);
            if (v < bestValue[0]) {
                bestValue[0] = v;
                System.arraycopy(p, 0, bestPoint, 0, p.length);
            }
            return v;
        };
        for (int round = 0; round < 4; round++) {
            double before = bestValue[0];
            try {
                new SimplexOptimizer(1e-10, 1e-12).optimize(new MaxEval(MAX_EVALUATIONS), new ObjectiveFunction(tracked), GoalType.MINIMIZE,
                        new InitialGuess(bestPoint.clone()), new NelderMeadSimplex(steps));
            } catch (TooManyEvaluationsException e) {
                break;
            }
            if (round > 0 && !(bestValue[0] < before - 1e-9 * Math.abs(before))) break;
        }
        return bestPoint.clone();
    }

    static final int MAX_EVALUATIONS = 5_000;

    /** log(S(a) - S(b)) from log survival values, without cancellation (logSa >= logSb). */
    static double logDifference(double logSa, double logSb) {
        if (logSa == Double.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        if (logSb == Double.NEGATIVE_INFINITY) return logSa;
        double d = logSb - logSa;
        if (d >= 0) return Double.NEGATIVE_INFINITY;
        return logSa + Math.log1p(-Math.exp(d));
    }
}
