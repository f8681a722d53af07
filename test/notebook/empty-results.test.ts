import * as aq from 'arquero';
import { afterAll, describe, expect, test } from 'vitest';
import '../../src/analytics/index.ts';
import { createEngineHost } from '../../src/notebook/engine-host.ts';
import { resultTable } from '../../src/notebook/result-table.ts';
import { runAnalysisCell } from '../../src/notebook/run-analysis-cell.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents } from '../helpers/events.ts';

// An empty analysis result is still a table with the analysis's columns, so SQL can read it (the
// bug: an empty correlation had no columns and DuckDB-WASM failed on its Arrow schema).

afterAll(closeTestEngines);

describe.each(ENGINE_KINDS)('on %s', (kind) => {
  test('empty correlation and cohort results register with their columns and types; a table of no columns says why it cannot', async () => {
    const engine = await testEngine(kind);
    await loadTestEvents(engine, [
      { user_id: 'a', event: 'view', ts: '2024-03-01T10:00:00Z' },
      { user_id: 'b', event: 'view', ts: '2024-03-01T11:00:00Z' },
    ], { source: 'tiny' });
    const host = createEngineHost(engine);
    const types = async (name: string) => (await engine.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${name}' ORDER BY ordinal_position`))
      .toArray().map((r) => `${r.column_name} ${r.data_type}`);
    const nobody = await runAnalysisCell(host, 'correlation', '{"funnel": {"steps": ["view", "buy"]}}', {});
    expect(nobody.result.rows).toEqual([]);
    await host.registerTable('nobody', nobody.table);
    expect(await types('nobody')).toEqual([
      'event VARCHAR', 'type VARCHAR', 'success_count DOUBLE', 'failure_count DOUBLE', 'odds_ratio DOUBLE',
      'correlation_type VARCHAR', 'p_value DOUBLE', 'odds_ratio_low DOUBLE', 'odds_ratio_high DOUBLE',
    ]);
    const empty = await runAnalysisCell(host, 'cohort', '{"cohort": {"name": "buyers", "rules": [{"did": "view", "at_least": 5}]}}', {});
    await host.registerTable('buyers', empty.table);
    expect(await types('buyers')).toEqual(['user_id VARCHAR', 'first_seen VARCHAR', 'last_seen VARCHAR', 'events DOUBLE', 'qualifying_events DOUBLE']);
    expect((await engine.query('SELECT count(*) AS n FROM buyers')).toArray()[0].n).toBe(0);
    // a table with rows keeps what its values say
    expect(resultTable('cohort', [{ user_id: 'a', events: 1 }], {}).columnNames()).toEqual(['user_id', 'events']);
    await expect(host.registerTable('bare', aq.from([]))).rejects.toThrow('"bare" has no columns (an empty result whose columns are not known), so SQL cannot read it');
  });
});
