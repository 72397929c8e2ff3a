// Bucketing of min/max points for the coarse level; see GraphDetail.h.
#include "GraphDetail.h"

#include <cmath>

namespace rdt {

namespace {

// Appends a full bucket's extremes (or its first NaN, to keep the gap a NaN draws) to `out`.
void appendExtremes(const QCPGraphData *bucket, int count, QVector<QCPGraphData> &out)
{
    int low = -1;
    int high = -1;
    for (int i = 0; i < count; ++i) {
        if (std::isnan(bucket[i].value)) {
            out.append(bucket[i]);
            return;
        }
        if (low < 0 || bucket[i].value < bucket[low].value)
            low = i;
        if (high < 0 || bucket[i].value > bucket[high].value)
            high = i;
    }
    if (low < 0)
        return;
    out.append(bucket[std::min(low, high)]);
    if (low != high)
        out.append(bucket[std::max(low, high)]);
}

} // namespace

GraphDetail::GraphDetail()
    : m_full(QSharedPointer<QCPGraphDataContainer>::create()), m_coarse(QSharedPointer<QCPGraphDataContainer>::create())
{
}

void GraphDetail::append(const QVector<QCPGraphData> &points)
{
    if (points.isEmpty())
        return;
    m_full->add(points, true);
    // Take the pending raw points back off the coarse level, then re-bucket them with the new.
    if (m_hasBuckets)
        m_coarse->removeAfter(m_lastBucketKey);
    else
        m_coarse->clear();
    QVector<QCPGraphData> waiting = m_pending + points;
    QVector<QCPGraphData> extremes;
    extremes.reserve(2 * (waiting.size() / kBucket) + kBucket);
    const int fullBuckets = int(waiting.size() / kBucket);
    for (int bucket = 0; bucket < fullBuckets; ++bucket)
        appendExtremes(waiting.constData() + bucket * kBucket, kBucket, extremes);
    if (fullBuckets > 0) {
        m_hasBuckets = true;
        m_lastBucketKey = waiting[fullBuckets * kBucket - 1].key;
    }
    m_pending = waiting.mid(fullBuckets * kBucket);
    extremes += m_pending;
    m_coarse->add(extremes, true);
}

void GraphDetail::set(const QVector<QCPGraphData> &points)
{
    clear();
    append(points);
}

void GraphDetail::clear()
{
    m_full->clear();
    m_coarse->clear();
    m_pending.clear();
    m_hasBuckets = false;
    m_lastBucketKey = 0;
}

const QSharedPointer<QCPGraphDataContainer> &GraphDetail::forDensity(double pointsPerPixel) const
{
    // Two buckets per pixel at least: then every pixel column still gets its own extremes.
    return pointsPerPixel >= 2.0 * kBucket ? m_coarse : m_full;
}

} // namespace rdt
