// Time zones live in the engine layer (the loader needs them too); analyses import them from here.
export {
  isTimeZone, zoneOffsetMs, localToUtc, localDate, parseLocalDate, offsetIntervals, type OffsetInterval,
} from '../engine/time-zone.ts';
