// One rich-text label: cheap to redraw, wraps on a narrow window, selectable names.
#include "PlotLegend.h"

#include <QHBoxLayout>
#include <QLabel>

namespace rdt {

PlotLegend::PlotLegend(QWidget *parent) : QWidget(parent), m_text(new QLabel(this))
{
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 8, 2);
    layout->addWidget(m_text, 1);
    hide();
}

void PlotLegend::setEntries(const QList<Entry> &entries)
{
    m_entries = entries;
    // One run alone needs no legend: the header names it.
    setVisible(entries.size() > 1);
    QStringList parts;
    for (const Entry &entry : entries)
        parts << QStringLiteral("<span style=\"color:%1; font-size:large\">&#9473;&#9473;</span>&nbsp;%2%3")
                     .arg(entry.colour.name(), entry.run.toHtmlEscaped(),
                          entry.current ? tr(" (current)") : QString());
    m_text->setText(parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp; ")));
}

} // namespace rdt
