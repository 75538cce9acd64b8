import { describe, expect, it } from 'vitest';
import { parseMeetingForm, parseTermSegment, termSegment } from './tsm';

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

describe('parseTermSegment', () => {
  it('reads 2024-25-spring and refuses anything else', () => {
    expect(parseTermSegment('2024-25-spring')).toEqual({ academicYear: '2024/25', term: 'spring' });
    expect(termSegment('2024/25', 'spring')).toBe('2024-25-spring');
    expect(parseTermSegment('2024-26-spring')).toBeNull();
    expect(parseTermSegment('2024-25-winter')).toBeNull();
  });
});

describe('parseMeetingForm', () => {
  it('turns the form into the API input, skipping empty rows', () => {
    const result = parseMeetingForm(form({
      'date-day': '2', 'date-month': '12', 'date-year': '2024',
      'attendee-0-name': 'Pat Head', 'attendee-0-role': 'Headteacher', 'attendee-0-organisation': 'school',
      'attendee-1-name': 'Sam', 'attendee-1-role': 'Attendance officer', 'attendee-1-organisation': 'la',
      'action-0-subject': 'upn:A123456789012', 'action-0-type': 'family_meeting', 'action-0-tier': 'targeted', 'action-0-owner': 'Head of year',
      'action-1-subject': 'cohort:Free school meals', 'action-1-type': 'cohort_intervention', 'action-1-owner': 'Attendance lead', 'action-1-review': '2025-01-31',
    }));
    expect(result).toEqual({
      ok: true,
      meeting: {
        meetingDate: '2024-12-02',
        attendees: [
          { name: 'Pat Head', role: 'Headteacher', organisation: 'school' },
          { name: 'Sam', role: 'Attendance officer', organisation: 'la' },
        ],
        notes: null,
        actions: [
          { upn: 'A123456789012', cohort: null, tier: 'targeted', actionType: 'family_meeting', owner: 'Head of year', reviewDate: null, notes: null },
          { upn: null, cohort: 'Free school meals', tier: 'universal', actionType: 'cohort_intervention', owner: 'Attendance lead', reviewDate: '2025-01-31', notes: null },
        ],
      },
    });
  });

  it('names every problem against its field', () => {
    const result = parseMeetingForm(form({ 'date-day': '31', 'date-month': '2', 'date-year': '2025', 'action-0-owner': 'X' }));
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'date-day', message: 'The date of the meeting must be a real date, like 27 3 2025' },
        { field: 'attendee-0-name', message: 'Enter at least one attendee' },
        { field: 'action-0-subject', message: 'Choose the pupil or cohort for action 1' },
        { field: 'action-0-type', message: 'Choose the type of action 1' },
      ],
    });
  });
});
