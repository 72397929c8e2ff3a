// A small history line (the last values, oldest on the left) with the area under it
// tinted; for GPU utilisation, memory and temperature beside their current values.
#pragma once

#include <QColor>
#include <QWidget>

#include <deque>

namespace rdt {

class Sparkline : public QWidget {
    Q_OBJECT
public:
    // Values are drawn against [minimum, maximum]; `capacity` values are kept.
    Sparkline(double minimum, double maximum, int capacity, const QColor &colour, QWidget *parent = nullptr);

    void addValue(double value);
    void clear();
    const std::deque<double> &values() const { return m_values; }

    QSize sizeHint() const override { return {120, 22}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    double m_minimum;
    double m_maximum;
    int m_capacity;
    QColor m_colour;
    std::deque<double> m_values;
};

} // namespace rdt
