// The exponential moving average TensorBoard smooths scalars with: last = last * w +
// (1 - w) * value, shown divided by (1 - w^n) so the first points are not pulled towards
// the zero the average starts from. Non-finite values pass through unsmoothed and do not
// enter the average, as in TensorBoard. Incremental: adding a point costs O(1).
#pragma once

#include <vector>

namespace rdt {

class DebiasedEma {
public:
    // `weight` in [0, 1): 0 is no smoothing; TensorBoard's slider default is 0.6.
    explicit DebiasedEma(double weight = 0.6);

    double weight() const { return m_weight; }
    void reset();
    // The smoothed value at this point.
    double add(double value);

    // The whole column smoothed at once, for tests and for a changed weight.
    static std::vector<double> smooth(const std::vector<double> &values, double weight);

private:
    double m_weight;
    double m_last = 0;
    double m_decay = 1;   // w^n, kept as a running product instead of pow() per point
};

} // namespace rdt
