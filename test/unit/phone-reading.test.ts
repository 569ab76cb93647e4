import { describe, expect, it } from 'vitest';
import { asciiDigits, readPhone } from '../../api/import/phone';

const e164 = (raw: string, region = 'US') => {
  const read = readPhone(raw, region);
  return 'e164' in read ? read.e164 : read.error;
};

describe('phone numbers as people write them', () => {
  it('reads any Unicode decimal digits: Khmer, Arabic-Indic, Devanagari, fullwidth, mathematical', () => {
    expect(asciiDigits('០១២៣៤៥៦៧៨៩')).toBe('0123456789');
    expect(asciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(asciiDigits('०९')).toBe('09');
    expect(asciiDigits('𝟎𝟗𝟘𝟡')).toBe('0909');
    expect(e164('+៨៥៥ ១២ ៣៤៥ ៦៧៨')).toBe('+85512345678');
    expect(e164('＋８５５ １２ ３４５ ６７８')).toBe('+85512345678');
    expect(e164('(٦١٧) ٥٥٥-٠١٤٣')).toBe('+16175550143');
  });

  it('refuses an extension, naming it, whatever way it is written', () => {
    for (const raw of ['(617) 555-0143 ext. 12', '617-555-0143 x12', '617.555.0143 extension 12'])
      expect(e164(raw), raw).toMatch(/extension \(ext\. 12\).*never an SMS destination/);
  });

  it('understands international prefixes dialled from the U.S., Europe and Cambodia', () => {
    expect(e164('011 855 12 345 678')).toBe('+85512345678');
    expect(e164('00 855 12 345 678')).toBe('+85512345678');
    expect(e164('001 855 12 345 678')).toBe('+85512345678');
    expect(e164('008 855 12 345 678')).toBe('+85512345678');
    expect(e164('00 33 6 12 34 56 78')).toBe('+33612345678');
    expect(e164('001 617 555 0143', 'KH')).toBe('+16175550143');
    expect(e164('012 345 678', 'KH')).toBe('+85512345678');
    expect(e164('+855 012 345 678')).toBe('+85512345678');
  });

  it('refuses a prefix that reads as two different numbers rather than guessing', () => {
    expect(e164('007 495 123 45 67')).toMatch(/reads as 2 different numbers/);
  });

  it('does not add digits that are not there', () => {
    expect(e164('855 12 345 678')).toMatch(/not a valid phone number/);
  });

  it('refuses spreadsheet damage and says what happened; takes the text marker apostrophe', () => {
    for (const raw of ['8.55123E+11', '8,55123E+11', '1.61755E+10', '8.55123e11'])
      expect(e164(raw), raw).toMatch(/scientific notation.*last digits are lost/);
    expect(e164("'+855 12 345 678")).toBe('+85512345678');
  });

  it('never echoes the number in a message', () => {
    const read = readPhone('+1 617 555 0143 ext. 12', 'US');
    expect(JSON.stringify(read)).not.toContain('555');
  });
});
