// A graph's data at two levels of detail: every point, and per bucket of kBucket points
// only the lowest and the highest, in key order. Zoomed out, with dozens of points per
// pixel, drawing the coarse level looks the same (each pixel column's extremes survive)
// and QCustomPlot's adaptive sampling walks 8 times fewer points; zoomed in, the full
// level is drawn. Both grow incrementally.
#pragma once

#include <qcustomplot.h>

namespace rdt {

class GraphDetail {
public:
    static constexpr int kBucket = 16;

    GraphDetail();

    void append(const QVector<QCPGraphData> &points);   // keys at or after the last one
    void set(const QVector<QCPGraphData> &points);      // sorted by key
    void clear();

    const QSharedPointer<QCPGraphDataContainer> &full() const { return m_full; }
    const QSharedPointer<QCPGraphDataContainer> &coarse() const { return m_coarse; }
    // The level to draw when `pointsPerPixel` points fall on each pixel of the x axis.
    const QSharedPointer<QCPGraphDataContainer> &forDensity(double pointsPerPixel) const;

private:
    QSharedPointer<QCPGraphDataContainer> m_full;
    QSharedPointer<QCPGraphDataContainer> m_coarse;
    // The points after the last full bucket: shown raw at the end of the coarse level until
    // their bucket fills, so the newest points are drawn at once.
    QVector<QCPGraphData> m_pending;
    bool m_hasBuckets = false;
    double m_lastBucketKey = 0;
};

} // namespace rdt
