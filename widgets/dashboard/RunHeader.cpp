// The run header's layout and texts.
#include "RunHeader.h"

#include "RunSeries.h"

#include <QHBoxLayout>
#include <QDateTime>
#include <QLabel>
#include <QTimer>
#include <QLocale>
#include <QProgressBar>
#include <QRegularExpression>

namespace rdt {

namespace {

// Badge colours by state: the same hues the run list uses.
QString stateStyle(RunRowState state)
{
    const char *colour = "#6b7280";
    switch (state) {
    case RunRowState::Running:
        colour = "#15803d";
        break;
    case RunRowState::Finished:
        colour = "#1d4ed8";
        break;
    case RunRowState::Failed:
        colour = "#b91c1c";
        break;
    case RunRowState::Stopped:
        colour = "#b45309";
        break;
    case RunRowState::Unknown:
        break;
    }
    return QStringLiteral("QLabel { color: white; background: %1; border-radius: 8px; padding: 1px 8px; "
                          "font-weight: 600; }")
        .arg(QLatin1String(colour));
}

QLabel *figure(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::RichText);
    return label;
}

// A figure's text without its markup, for tests.
QString plain(const QLabel *label)
{
    QString text = label->text();
    text.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    return text.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
}

QString captioned(const QString &caption, const QString &value)
{
    return QStringLiteral("<span style='color:#6b7280'>%1</span> <b>%2</b>").arg(caption, value.toHtmlEscaped());
}

} // namespace

RunHeader::RunHeader(QWidget *parent) : QWidget(parent), m_ageTimer(new QTimer(this))
{
    m_clock = [] { return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0; };
    m_ageTimer->setInterval(1000);
    connect(m_ageTimer, &QTimer::timeout, this, &RunHeader::showCheckpointAge);
    m_name = new QLabel(this);
    QFont nameFont = m_name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    nameFont.setBold(true);
    m_name->setFont(nameFont);
    m_state = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(false);
    m_progress->setFixedWidth(180);
    m_progress->setMaximumHeight(10);
    m_step = figure(this);
    m_elapsed = figure(this);
    m_eta = figure(this);
    m_checkpoint = figure(this);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(14);
    layout->addWidget(m_name);
    layout->addWidget(m_state);
    layout->addSpacing(8);
    layout->addWidget(m_progress);
    layout->addWidget(m_step);
    layout->addWidget(m_elapsed);
    layout->addWidget(m_eta);
    layout->addWidget(m_checkpoint);
    layout->addStretch(1);
    clear();
}

void RunHeader::clear()
{
    m_name->setText(tr("No run selected"));
    m_state->hide();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    for (QLabel *label : {m_step, m_elapsed, m_eta, m_checkpoint})
        label->clear();
    m_series = nullptr;
    m_ageTimer->stop();
}

void RunHeader::setRun(const RunRow &row, const RunSeries *series)
{
    m_name->setText(row.name);
    m_state->setText(runStateName(row.state));
    m_state->setStyleSheet(stateStyle(row.state));
    m_state->show();

    RunProgress progress;
    if (series)
        progress = RunProgress::estimate(*series, row.maxSteps);
    const qint64 step = std::max(progress.step, row.step);
    const QLocale locale = QLocale::c();
    // Step counts run past a QProgressBar's int only in theory; scale to per mille anyway.
    m_progress->setRange(0, 1000);
    m_progress->setValue(row.maxSteps > 0 ? int(1000 * std::min<qint64>(step, row.maxSteps) / row.maxSteps) : 0);
    m_step->setText(captioned(tr("step"), row.maxSteps > 0 ? QStringLiteral("%1 / %2").arg(step).arg(row.maxSteps)
                                                             : QString::number(step)));
    m_elapsed->setText(captioned(tr("elapsed"), RunProgress::formatDuration(progress.elapsedSeconds)));
    QString eta = QStringLiteral("–");
    if (row.state == RunRowState::Running && progress.etaSeconds) {
        eta = QStringLiteral("%1 (%2 steps/s)")
                  .arg(RunProgress::formatDuration(*progress.etaSeconds))
                  .arg(locale.toString(*progress.stepsPerSecond, 'f', 2));
    } else if (row.state == RunRowState::Finished) {
        eta = tr("done");
    }
    m_eta->setText(captioned(tr("ETA"), eta));
    m_series = series;
    showCheckpointAge();
    if (!m_ageTimer->isActive())
        m_ageTimer->start();
}

// Aged against the clock, not the last logged step: a run that stopped logging (finished,
// stuck, gone) still shows how old its last checkpoint really is.
void RunHeader::showCheckpointAge()
{
    QString checkpoint = tr("none yet");
    if (m_series && !m_series->checkpoints().empty()) {
        const RunSeries::Checkpoint &last = m_series->checkpoints().back();
        checkpoint = QStringLiteral("checkpoint-%1").arg(last.step);
        if (last.wallTime > 0)
            checkpoint += tr(" (%1 ago)").arg(RunProgress::formatDuration(std::max(0.0, m_clock() - last.wallTime)));
    }
    m_checkpoint->setText(captioned(tr("last checkpoint"), checkpoint));
}

QString RunHeader::stateText() const { return m_state->text(); }
QString RunHeader::stepText() const { return plain(m_step); }
QString RunHeader::elapsedText() const { return plain(m_elapsed); }
QString RunHeader::etaText() const { return plain(m_eta); }
QString RunHeader::checkpointText() const { return plain(m_checkpoint); }

} // namespace rdt
