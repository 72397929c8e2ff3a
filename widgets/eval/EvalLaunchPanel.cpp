// The checkpoint list is the dashboard's CheckpointTableModel, read, never copied: it is
// refilled whenever the model changes, so pruned checkpoints leave and new ones arrive.
#include "EvalLaunchPanel.h"

#include "CheckpointTableModel.h"
#include "EvalFieldsForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>

namespace rdt {

EvalLaunchPanel::EvalLaunchPanel(QWidget *parent) : QWidget(parent)
{
    m_checkpoint = new QComboBox(this);
    m_checkpoint->setMinimumContentsLength(28);
    m_command = new QComboBox(this);
    m_command->setToolTip(tr("The eval to run: the trainer's open-loop eval, or a server's own LIBERO script "
                             "(presets in ~/.config/rdt-workbench/eval-commands.json)"));
    m_commandLabel = new QLabel(tr("Eval"), this);
    m_fields = new EvalFieldsForm(this);
    m_fieldsLabel = new QLabel(tr("Fields"), this);
    m_fieldsLabel->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_fieldsLabel->setToolTip(tr("The chosen eval command's own values, remembered per host"));
    m_episodes = new QLineEdit(this);
    m_episodes->setPlaceholderText(tr("held-out (or demo_3,demo_7)"));
    m_execHorizon = new QSpinBox(this);
    m_execHorizon->setRange(1, 64);   // RDT predicts 64-step chunks
    m_execHorizon->setValue(16);
    m_weights = new QComboBox(this);
    m_weights->addItem(tr("EMA"), QStringLiteral("ema"));
    m_weights->addItem(tr("raw"), QStringLiteral("raw"));
    m_recordVideo = new QCheckBox(tr("record videos"), this);
    m_recordVideo->setChecked(true);
    m_launch = new QPushButton(tr("Launch eval"), this);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();
    m_progress = new QProgressBar(this);
    m_progress->hide();
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("Checkpoint"), m_checkpoint);
    form->addRow(m_commandLabel, m_command);
    form->addRow(m_fieldsLabel, m_fields);
    auto *row = new QHBoxLayout;
    row->addWidget(m_episodes, 1);
    row->addWidget(new QLabel(tr("exec horizon"), this));
    row->addWidget(m_execHorizon);
    row->addWidget(new QLabel(tr("weights"), this));
    row->addWidget(m_weights);
    form->addRow(tr("Episodes"), row);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_recordVideo);
    buttons->addStretch(1);
    buttons->addWidget(m_progress, 2);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_launch);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(m_launch, &QPushButton::clicked, this, [this] { emit launchRequested(options()); });
    connect(m_cancel, &QPushButton::clicked, this, &EvalLaunchPanel::cancelRequested);
    connect(m_checkpoint, &QComboBox::currentIndexChanged, this, [this] { emit checkpointChanged(selectedCheckpoint()); });
    connect(m_command, &QComboBox::currentIndexChanged, this,
            [this](int index) { emit commandChanged(index > 0 ? m_command->currentText() : QString()); });
    setCommandNames({});
    setRunning(false);
}

void EvalLaunchPanel::setCommandNames(const QStringList &names)
{
    m_command->clear();
    m_command->addItems(names);
    m_command->setVisible(names.size() > 1);
    m_commandLabel->setVisible(names.size() > 1);
    setCommandFields({}, {}, {});
}

void EvalLaunchPanel::setCommandFields(const QStringList &names, const EvalCommandValues &defaults,
                                       const EvalCommandValues &values)
{
    m_fields->setFields(names, defaults, values);
    m_fieldsLabel->setVisible(!names.isEmpty());
}

void EvalLaunchPanel::setOptionsUsed(bool episodes, bool execHorizon, bool weights, bool recordVideo)
{
    m_episodesUsed = episodes;
    m_execHorizonUsed = execHorizon;
    m_weightsUsed = weights;
    m_recordVideoUsed = recordVideo;
    refreshInputs();
}

void EvalLaunchPanel::refreshInputs()
{
    const QString unused = tr("The chosen eval command does not use this");
    const std::pair<QWidget *, bool> inputs[] = {{m_checkpoint, true}, {m_command, true}, {m_fields, true},
                                                 {m_episodes, m_episodesUsed}, {m_execHorizon, m_execHorizonUsed},
                                                 {m_weights, m_weightsUsed}, {m_recordVideo, m_recordVideoUsed}};
    for (const auto &[input, used] : inputs) {
        input->setEnabled(!m_running && used);
        if (input != m_command)
            input->setToolTip(used ? QString() : unused);
    }
}

void EvalLaunchPanel::setCheckpointModel(const CheckpointTableModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        connect(m_model, &QAbstractItemModel::modelReset, this, &EvalLaunchPanel::refillCheckpoints);
        connect(m_model, &QAbstractItemModel::rowsInserted, this, &EvalLaunchPanel::refillCheckpoints);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, &EvalLaunchPanel::refillCheckpoints);
        connect(m_model, &QAbstractItemModel::dataChanged, this, &EvalLaunchPanel::refillCheckpoints);
    }
    refillCheckpoints();
}

void EvalLaunchPanel::refillCheckpoints()
{
    const QString kept = selectedCheckpoint();
    const QSignalBlocker blocker(m_checkpoint);
    m_checkpoint->clear();
    const int rows = m_model ? m_model->rowCount() : 0;
    const int best = m_model ? m_model->bestRow() : -1;
    for (int row = rows - 1; row >= 0; --row) {   // newest first
        const QString name = m_model->checkpoint(row).path;
        const QString mse = m_model->data(m_model->index(row, CheckpointTableModel::SampleMseColumn)).toString();
        QString label = name;
        if (!mse.isEmpty() && mse != QLatin1String("–"))
            label += tr("   sample MSE %1").arg(mse);   // the model marks the best one
        m_checkpoint->addItem(label, name);
    }
    int pick = m_checkpoint->findData(kept);
    if (pick < 0 && best >= 0)
        pick = m_checkpoint->findData(m_model->checkpoint(best).path);
    m_checkpoint->setCurrentIndex(pick >= 0 ? pick : 0);
    m_launch->setEnabled(!m_running && m_checkpoint->count() > 0);
    if (selectedCheckpoint() != kept)
        emit checkpointChanged(selectedCheckpoint());
}

QString EvalLaunchPanel::selectedCheckpoint() const
{
    return m_checkpoint->currentData().toString();
}

void EvalLaunchPanel::selectCheckpoint(const QString &name)
{
    const int index = m_checkpoint->findData(name);
    if (index >= 0)
        m_checkpoint->setCurrentIndex(index);
}

EvalLaunchOptions EvalLaunchPanel::options() const
{
    EvalLaunchOptions options;
    options.checkpoint = selectedCheckpoint();
    options.episodes = m_episodes->text().simplified().remove(QLatin1Char(' '));
    options.execHorizon = m_execHorizon->value();
    options.weights = m_weights->currentData().toString();
    options.recordVideo = m_recordVideo->isChecked();
    if (m_command->currentIndex() > 0) {
        options.command = m_command->currentText();
        options.fieldValues = m_fields->values();
    }
    return options;
}

void EvalLaunchPanel::setRunning(bool running)
{
    m_running = running;
    m_launch->setEnabled(!running && m_checkpoint->count() > 0);
    m_cancel->setVisible(running);
    m_cancel->setEnabled(running);
    m_progress->setVisible(running);
    refreshInputs();
    if (running) {
        m_progress->setRange(0, 0);   // busy until the first episode says how many there are
        setStatus(tr("Starting the eval of %1…").arg(selectedCheckpoint()), false);
    }
}

void EvalLaunchPanel::setProgress(int done, int total, const QString &detail)
{
    if (total > 0) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_progress->setFormat(tr("%v of %m episodes"));
    }
    setStatus(detail, false);
}

void EvalLaunchPanel::setStatus(const QString &text, bool isError)
{
    m_status->setStyleSheet(isError ? QStringLiteral("QLabel { color: #b00020; }") : QString());
    m_status->setText(text);
}

QString EvalLaunchPanel::statusText() const
{
    return m_status->text();
}

} // namespace rdt
