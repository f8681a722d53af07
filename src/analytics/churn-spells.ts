/**
 * SQL for customer spells, `spells(user_id, acquired_ms, churned_ms)`, from a CTE `base(user_id,
 * ms, revenue, is_cancel)`. A spell starts at a customer's first activity (or the first after a
 * loss) and ends when they are lost: at a cancel event, or `inactiveDays` days after an activity
 * that no other follows within those days. A loss the log cannot have seen yet (its moment after
 * the log's last event, `logEndMs`) leaves `churned_ms` null.
 *
 * @example
 * churnSpellsSql(30, '(SELECT epoch_ms(max(ts)) FROM events)') // 'gaps AS (...), spells AS (...)'
 */
export function churnSpellsSql(inactiveDays: number | null, logEndMs: string): string {
  if (inactiveDays !== null) {
    const gap = inactiveDays * 86_400_000;
    return `gaps AS (
  SELECT user_id, ms,
    CASE WHEN ms - lag(ms) OVER (PARTITION BY user_id ORDER BY ms) > ${gap} THEN 1 ELSE 0 END AS starts_spell
  FROM base
), numbered AS (
  SELECT user_id, ms, sum(starts_spell) OVER (PARTITION BY user_id ORDER BY ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS spell
  FROM gaps
), spells AS (
  SELECT user_id, min(ms) AS acquired_ms,
    CASE WHEN max(ms) + ${gap} <= ${logEndMs} THEN max(ms) + ${gap} END AS churned_ms
  FROM numbered GROUP BY user_id, spell
)`;
  }
  // A cancel closes the spell its earlier rows belong to; at equal times activity comes first.
  return `numbered AS (
  SELECT user_id, ms, is_cancel,
    coalesce(sum(CAST(is_cancel AS INTEGER)) OVER (PARTITION BY user_id ORDER BY ms, is_cancel
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS spell
  FROM base
), spells AS (
  SELECT user_id, min(ms) FILTER (WHERE NOT is_cancel) AS acquired_ms, max(ms) FILTER (WHERE is_cancel) AS churned_ms
  FROM numbered GROUP BY user_id, spell
  HAVING count(*) FILTER (WHERE NOT is_cancel) > 0
)`;
}
