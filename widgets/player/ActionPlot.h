// The plot under the player: an eval episode's predicted (dashed) and demonstrated (solid)
// actions per step, one colour per dimension, dimensions switched on and off by the boxes
// above it. A vertical cursor marks the step on screen; a click on the plot asks to seek.
#pragma once

#include "EvalActions.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;
class QHBoxLayout;
class QLabel;
class QMouseEvent;

namespace rdt {

class ActionPlot : public QWidget {
    Q_OBJECT
public:
    explicit ActionPlot(QWidget *parent = nullptr);

    void setActions(const EvalActions &actions);
    void clear(const QString &why);   // no actions for this episode: says why in the plot's place
    bool hasActions() const { return !m_actions.predicted.empty(); }
    const EvalActions &actions() const { return m_actions; }

    void setCursorStep(int step);
    int cursorStep() const { return m_cursorStep; }
    void setDimensionShown(int dim, bool shown);
    bool isDimensionShown(int dim) const;

    QCustomPlot *plot() const { return m_plot; }   // for tests: pixel positions of steps

signals:
    void stepClicked(int step);

private:
    void rebuildDimensionBoxes();
    void fitVisible();
    void plotClicked(QMouseEvent *event);

    EvalActions m_actions;
    QCustomPlot *m_plot = nullptr;
    QHBoxLayout *m_dimensionRow = nullptr;
    QLabel *m_placeholder = nullptr;
    std::vector<QCheckBox *> m_dimensionBoxes;
    std::vector<QCPGraph *> m_predicted;      // one per dim
    std::vector<QCPGraph *> m_demonstrated;   // one per dim
    QCPItemStraightLine *m_cursor = nullptr;
    int m_cursorStep = -1;
};

} // namespace rdt
