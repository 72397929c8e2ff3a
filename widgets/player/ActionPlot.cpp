// Builds the per-dimension graphs once per episode; playback only moves the cursor, and a
// moved cursor costs one queued replot however often the video ticks (STYLE.md §5).
#include "ActionPlot.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

namespace rdt {

namespace {

// Dimension colours: distinct hues that stay readable on white (x, y, z, roll, pitch, yaw,
// gripper for LIBERO's 7-dimensional actions; further dims cycle).
const QColor kDimensionColours[] = {
    QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
    QColor(0xff, 0x7f, 0x0e), QColor(0x17, 0xbe, 0xcf), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
};

QColor dimensionColour(int dim)
{
    return kDimensionColours[size_t(dim) % std::size(kDimensionColours)];
}

} // namespace

ActionPlot::ActionPlot(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_dimensionRow = new QHBoxLayout;
    m_dimensionRow->setSpacing(8);
    layout->addLayout(m_dimensionRow);

    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(140);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("action"));
    layout->addWidget(m_plot, 1);
    m_placeholder = new QLabel(this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->hide();
    layout->addWidget(m_placeholder);

    m_cursor = new QCPItemStraightLine(m_plot);
    m_cursor->setPen(QPen(QColor(0x20, 0x20, 0x20), 1));
    m_cursor->setVisible(false);
    connect(m_plot, &QCustomPlot::mousePress, this, &ActionPlot::plotClicked);
}

void ActionPlot::setActions(const EvalActions &actions)
{
    m_actions = actions;
    m_plot->clearGraphs();
    m_predicted.clear();
    m_demonstrated.clear();
    const int dims = int(m_actions.dims.size());
    QVector<double> keys(m_actions.steps());
    for (int step = 0; step < m_actions.steps(); ++step)
        keys[step] = step;
    for (int dim = 0; dim < dims; ++dim) {
        QVector<double> predicted(m_actions.steps()), demonstrated(m_actions.steps());
        for (int step = 0; step < m_actions.steps(); ++step) {
            predicted[step] = m_actions.predicted[size_t(step)][size_t(dim)];
            demonstrated[step] = m_actions.demonstrated[size_t(step)][size_t(dim)];
        }
        QCPGraph *shown = m_plot->addGraph();
        shown->setName(m_actions.dims.at(dim) + tr(" demonstrated"));
        shown->setPen(QPen(dimensionColour(dim), 1));
        shown->setData(keys, demonstrated, true);
        QCPGraph *guess = m_plot->addGraph();
        guess->setName(m_actions.dims.at(dim) + tr(" predicted"));
        guess->setPen(QPen(dimensionColour(dim), 1, Qt::DashLine));
        guess->setData(keys, predicted, true);
        m_demonstrated.push_back(shown);
        m_predicted.push_back(guess);
    }
    rebuildDimensionBoxes();
    m_placeholder->hide();
    m_plot->show();
    m_cursorStep = -1;
    setCursorStep(0);
    fitVisible();
}

void ActionPlot::clear(const QString &why)
{
    m_actions = EvalActions();
    m_plot->clearGraphs();
    m_predicted.clear();
    m_demonstrated.clear();
    rebuildDimensionBoxes();
    m_cursor->setVisible(false);
    m_cursorStep = -1;
    m_plot->hide();
    m_placeholder->setText(why);
    m_placeholder->show();
}

void ActionPlot::setCursorStep(int step)
{
    if (!hasActions() || step == m_cursorStep)
        return;
    m_cursorStep = std::clamp(step, 0, m_actions.steps() - 1);
    m_cursor->point1->setCoords(m_cursorStep, 0);
    m_cursor->point2->setCoords(m_cursorStep, 1);
    m_cursor->setVisible(true);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ActionPlot::setDimensionShown(int dim, bool shown)
{
    if (dim < 0 || dim >= int(m_dimensionBoxes.size()))
        return;
    m_dimensionBoxes[size_t(dim)]->setChecked(shown);   // toggled() updates the graphs
}

bool ActionPlot::isDimensionShown(int dim) const
{
    return dim >= 0 && dim < int(m_predicted.size()) && m_predicted[size_t(dim)]->visible();
}

void ActionPlot::rebuildDimensionBoxes()
{
    for (QCheckBox *box : m_dimensionBoxes)
        delete box;
    m_dimensionBoxes.clear();
    while (QLayoutItem *item = m_dimensionRow->takeAt(0))
        delete item;
    for (int dim = 0; dim < int(m_actions.dims.size()); ++dim) {
        auto *box = new QCheckBox(m_actions.dims.at(dim), this);
        box->setChecked(true);
        box->setStyleSheet(QStringLiteral("QCheckBox { color: %1; }").arg(dimensionColour(dim).name()));
        connect(box, &QCheckBox::toggled, this, [this, dim](bool shown) {
            m_predicted[size_t(dim)]->setVisible(shown);
            m_demonstrated[size_t(dim)]->setVisible(shown);
            fitVisible();
        });
        m_dimensionRow->addWidget(box);
        m_dimensionBoxes.push_back(box);
    }
    if (!m_actions.dims.isEmpty()) {
        auto *key = new QLabel(tr("solid: demonstrated, dashed: predicted"), this);
        key->setEnabled(false);
        m_dimensionRow->addStretch(1);
        m_dimensionRow->addWidget(key);
    }
}

void ActionPlot::fitVisible()
{
    m_plot->xAxis->setRange(0, std::max(1, m_actions.steps() - 1));
    QCPRange values;
    bool any = false;
    for (size_t dim = 0; dim < m_predicted.size(); ++dim) {
        if (!m_predicted[dim]->visible())
            continue;
        for (QCPGraph *graph : {m_predicted[dim], m_demonstrated[dim]}) {
            bool found = false;
            const QCPRange range = graph->getValueRange(found);
            if (!found)
                continue;
            values = any ? QCPRange(std::min(values.lower, range.lower), std::max(values.upper, range.upper)) : range;
            any = true;
        }
    }
    if (any) {
        const double margin = std::max(1e-6, (values.upper - values.lower) * 0.05);
        m_plot->yAxis->setRange(values.lower - margin, values.upper + margin);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ActionPlot::plotClicked(QMouseEvent *event)
{
    if (!hasActions() || event->button() != Qt::LeftButton)
        return;
    const double key = m_plot->xAxis->pixelToCoord(event->position().x());
    emit stepClicked(std::clamp(int(std::lround(key)), 0, m_actions.steps() - 1));
}

} // namespace rdt
