import { Badge, InfiniteScroll, Swiper, Tabs } from 'antd-mobile';
import type { SwiperRef } from 'antd-mobile/es/components/swiper';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DealCard } from '../../components/DealCard';
import { usePagedDeals } from '../../lib/usePagedDeals';
import { useStages } from '../../lib/useStages';

/** One column per stage; swipe (or tap a tab) to move between them. */
export function DealsBoard() {
  const { stages } = useStages();
  const [index, setIndex] = useState(0);
  const swiper = useRef<SwiperRef>(null);
  if (stages.length === 0) return null;
  return (
    <div className="board" data-testid="deals-board">
      <Tabs
        activeKey={stages[index]?.key}
        onChange={(key) => {
          const next = stages.findIndex((stage) => stage.key === key);
          setIndex(next);
          swiper.current?.swipeTo(next);
        }}
      >
        {stages.map((stage) => (
          <Tabs.Tab title={stage.name} key={stage.key} />
        ))}
      </Tabs>
      <Swiper direction="horizontal" loop={false} indicator={() => null} ref={swiper} defaultIndex={index} onIndexChange={setIndex}>
        {stages.map((stage, stageIndex) => (
          <Swiper.Item key={stage.key}>
            {Math.abs(stageIndex - index) <= 1 ? <BoardColumn stageKey={stage.key} /> : <div className="board-column" />}
          </Swiper.Item>
        ))}
      </Swiper>
    </div>
  );
}

function BoardColumn({ stageKey }: { stageKey: string }) {
  const { t } = useTranslation();
  const { deals, totalCount, hasMore, loadMore } = usePagedDeals({ stage: stageKey });
  return (
    <div className="board-column">
      <div className="muted padded">
        <Badge content={totalCount ?? '…'} /> {t('deals.inColumn')}
      </div>
      <div className="card-list">
        {deals.map((deal) => (
          <DealCard key={deal.id} deal={deal} />
        ))}
      </div>
      <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
        {hasMore ? t('common.loading') : deals.length === 0 ? t('deals.none') : ''}
      </InfiniteScroll>
    </div>
  );
}
