import { useTranslation } from 'react-i18next';
import { formatDwell } from '../../lib/format';

interface StageLike {
  key: string;
  name: string;
  kind: string;
}

/** The pipeline as a bar: stages passed, the current one with its dwell time, the ones ahead. */
export function StageProgress({
  stages,
  current,
  dwells,
}: {
  stages: StageLike[];
  current: string;
  dwells: { stage: string; hours: number; visits: number }[];
}) {
  const { t } = useTranslation();
  const currentStage = stages.find((stage) => stage.key === current);
  // Lost is shown only when the deal is there; the bar is the road to Won.
  const road = stages.filter((stage) => stage.kind !== 'LOST' || stage.key === current);
  const currentIndex = road.findIndex((stage) => stage.key === current);
  return (
    <div className="stage-progress" data-testid="stage-progress">
      <div className="stage-bar">
        {road.map((stage, index) => (
          <div
            key={stage.key}
            className={[
              'stage-bar-segment',
              index < currentIndex ? 'done' : '',
              index === currentIndex ? 'current' : '',
              stage.kind === 'LOST' ? 'lost' : '',
            ].join(' ')}
          />
        ))}
      </div>
      <div className="stage-pills">
        {road.map((stage, index) => {
          const dwell = dwells.find((entry) => entry.stage === stage.key);
          return (
            <div key={stage.key} className={index === currentIndex ? 'stage-pill current' : index < currentIndex ? 'stage-pill done' : 'stage-pill'}>
              <div className="stage-pill-name">{stage.name}</div>
              <div className="stage-pill-dwell">{dwell ? formatDwell(dwell.hours) : ''}</div>
            </div>
          );
        })}
      </div>
      {currentStage?.kind === 'LOST' && <div className="overdue">{t('deal.lost')}</div>}
    </div>
  );
}
