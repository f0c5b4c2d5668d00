import { describe, expect, it } from 'vitest';
import {
  dayOfMonth,
  formatDateBR,
  formatDateTimeBR,
  formatOffset,
  formatTimeBR,
  localDayOf,
  localOffsetMinutes,
  parseFocusDateTime,
  parseOffset,
  toFocusDateTime,
  yearMonthAAMM,
} from '../../../shared/datetime.ts';
import { inTimeZone } from '../../fixtures/time-zone.ts';

describe('toFocusDateTime', () => {
  it('writes the local wall clock with the offset', () => {
    const epoch = Date.UTC(2026, 10, 24, 13, 15, 0); // 13:15Z = 10:15 in Brasília
    expect(toFocusDateTime(epoch, -180)).toBe('2026-11-24T10:15:00-03:00');
    expect(toFocusDateTime(epoch, 0)).toBe('2026-11-24T13:15:00+00:00');
    expect(toFocusDateTime(epoch, -300)).toBe('2026-11-24T08:15:00-05:00'); // Acre
    expect(toFocusDateTime(epoch, 330)).toBe('2026-11-24T18:45:00+05:30');
  });

  it('rolls the local date back across midnight and month/year ends', () => {
    expect(toFocusDateTime(Date.UTC(2026, 11, 1, 2, 30, 0), -180)).toBe('2026-11-30T23:30:00-03:00');
    expect(toFocusDateTime(Date.UTC(2027, 0, 1, 1, 0, 0), -180)).toBe('2026-12-31T22:00:00-03:00');
  });

  it('drops milliseconds (data_emissao has second precision)', () => {
    expect(toFocusDateTime(Date.UTC(2026, 0, 5, 12, 0, 0, 999), -180)).toBe('2026-01-05T09:00:00-03:00');
  });

  it('rejects impossible offsets and dates', () => {
    expect(() => toFocusDateTime(0, 15 * 60)).toThrow(RangeError);
    expect(() => toFocusDateTime(0, 1.5)).toThrow(RangeError);
    expect(() => toFocusDateTime(Number.NaN, -180)).toThrow(RangeError);
  });

  it('round-trips through parseFocusDateTime', () => {
    for (const off of [-180, -240, -300, -120, 0, 60]) {
      for (let k = 0; k < 50; k++) {
        const epoch = Date.UTC(2026, 0, 1) + k * 7_777_777_000;
        const s = toFocusDateTime(epoch, off);
        const p = parseFocusDateTime(s);
        expect(p?.epochMs).toBe(epoch);
        expect(p?.offsetMinutes).toBe(off);
      }
    }
  });

  it('localOffsetMinutes has the ISO sign (east positive), unlike getTimezoneOffset', () => {
    const now = Date.UTC(2026, 5, 1);
    expect(localOffsetMinutes(now)).toBe(-new Date(now).getTimezoneOffset() || 0);
    const s = toFocusDateTime(now, localOffsetMinutes(now));
    expect(parseFocusDateTime(s)?.epochMs).toBe(now);
  });

  it('localDayOf is the shop calendar day, which from 21:00 in Brasília is not the UTC one', () => {
    inTimeZone('America/Sao_Paulo', () => {
      expect(localDayOf(Date.parse('2026-11-30T23:30:00-03:00'))).toBe('2026-11-30');
      expect(localDayOf(Date.parse('2026-12-31T21:00:00-03:00'))).toBe('2026-12-31');
      expect(localDayOf(Date.parse('2027-01-01T00:00:00-03:00'))).toBe('2027-01-01');
    });
  });
});

describe('parseFocusDateTime / parseOffset', () => {
  it('reads local fields as written', () => {
    expect(parseFocusDateTime('2026-11-24T10:15:09-03:00')).toEqual({
      year: 2026,
      month: 11,
      day: 24,
      hour: 10,
      minute: 15,
      second: 9,
      offsetMinutes: -180,
      epochMs: Date.UTC(2026, 10, 24, 13, 15, 9),
    });
  });

  it('accepts the variants seen in Focus examples', () => {
    expect(parseFocusDateTime('2026-03-10T17:11:00.939-03:00')?.offsetMinutes).toBe(-180);
    expect(parseFocusDateTime('2026-03-10T17:11:00-0300')?.hour).toBe(17);
    expect(parseFocusDateTime('2026-03-10T17:11:00Z')?.offsetMinutes).toBe(0);
    expect(parseFocusDateTime('2026-03-10T17:11-03:00')?.second).toBe(0);
  });

  it.each(['2026-03-10T17:11:00', '2026-02-30T10:00:00-03:00', '2026-13-01T10:00:00-03:00', '2026-01-01T24:00:00-03:00', '10/03/2026 17:11', '', 'x'])(
    'rejects %j',
    (s) => {
      expect(parseFocusDateTime(s)).toBeNull();
    },
  );

  it('parseOffset', () => {
    expect(parseOffset('-03:00')).toBe(-180);
    expect(parseOffset('+0530')).toBe(330);
    expect(parseOffset('Z')).toBe(0);
    expect(parseOffset('-00:00')).toBe(0);
    expect(Object.is(parseOffset('-00:00'), -0)).toBe(false);
    expect(parseOffset('2026-11-24T10:15:00-02:00')).toBe(-120);
    expect(parseOffset('2026-11-24T10:15:00')).toBeNull();
    expect(formatOffset(-180)).toBe('-03:00');
    expect(formatOffset(0)).toBe('+00:00');
  });
});

describe('local fields from the string itself (never UTC)', () => {
  it('dayOfMonth and AAMM follow the written offset', () => {
    // 23:30 on 30/11 in Brasília is already 01/12 in UTC.
    const s = '2026-11-30T23:30:00-03:00';
    expect(new Date(s).getUTCDate()).toBe(1);
    expect(dayOfMonth(s)).toBe(30);
    expect(yearMonthAAMM(s)).toBe('2611');
    expect(yearMonthAAMM('2027-01-01T00:05:00-03:00')).toBe('2701');
    expect(dayOfMonth('2026-11-02T00:00:00-03:00')).toBe(2);
  });

  it('throws a pt-BR message on a string without offset', () => {
    expect(() => dayOfMonth('2026-11-30T23:30:00')).toThrow(/data\/hora inválida/);
  });

  it('formats for the UI', () => {
    const s = '2026-01-05T09:07:03-03:00';
    expect(formatDateBR(s)).toBe('05/01/2026');
    expect(formatTimeBR(s)).toBe('09:07');
    expect(formatTimeBR(s, { seconds: true })).toBe('09:07:03');
    expect(formatDateTimeBR(s)).toBe('05/01/2026 09:07:03');
    expect(formatDateTimeBR(s, { seconds: false })).toBe('05/01/2026 09:07');
  });
});
