import { describe, expect, it } from 'vitest';
import {
  FOLDER_MESSAGES,
  FOLDER_NAME_MAX,
  LETTER_TEXT_MAX,
  parseVideoUrl,
  validateFolderInput,
  videoProvider,
} from './application-folder';

const CV = '0a0c0000-0000-4000-8000-0000000000aa';
const SHA = 'a'.repeat(64);

const fieldsOf = (result: ReturnType<typeof validateFolderInput>) =>
  result.ok ? [] : result.errors.map((e) => e.field);

describe('validateFolderInput', () => {
  it('accepts a folder made of one of the CVs, a letter and a video', () => {
    const result = validateFolderInput({
      name: '  Boulangerie   Lyon ',
      cvId: CV.toUpperCase(),
      cvFile: null,
      letterText: 'Madame, Monsieur,\r\nje souhaite…  ',
      letterFile: { sha256: SHA, name: ' lettre.pdf ' },
      videoUrl: 'https://youtu.be/dQw4w9WgXcQ',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Boulangerie Lyon',
        cvId: CV,
        cvFile: null,
        letterText: 'Madame, Monsieur,\nje souhaite…',
        letterFile: { sha256: SHA, name: 'lettre.pdf' },
        videoUrl: 'https://youtu.be/dQw4w9WgXcQ',
      },
    });
  });

  it('accepts a CV file alone, without letter or video', () => {
    const result = validateFolderInput({ name: 'Express', cvFile: { sha256: SHA, name: 'cv.pdf' } });
    expect(result.ok && result.value).toMatchObject({ cvId: null, letterText: '', videoUrl: null });
  });

  it('asks for exactly one CV', () => {
    const none = validateFolderInput({ name: 'Sans CV' });
    expect(none.ok ? null : none.errors).toEqual([{ field: 'cvId', message: FOLDER_MESSAGES.cvMissing }]);
    const both = validateFolderInput({ name: 'Deux', cvId: CV, cvFile: { sha256: SHA, name: 'cv.pdf' } });
    expect(both.ok ? null : both.errors).toEqual([{ field: 'cvId', message: FOLDER_MESSAGES.cvBoth }]);
  });

  it('names every field at fault', () => {
    const result = validateFolderInput({
      name: 'x'.repeat(FOLDER_NAME_MAX + 1),
      cvId: 'pas-un-uuid',
      letterText: 'y'.repeat(LETTER_TEXT_MAX + 1),
      letterFile: { sha256: 'zz', name: 'lettre.pdf' },
      videoUrl: 'http://youtube.com/watch?v=1',
    });
    expect(fieldsOf(result)).toEqual(['name', 'cvId', 'letterText', 'letterFile', 'videoUrl']);
  });

  it('refuses wrong types without throwing', () => {
    for (const body of [null, 'texte', [], 42]) expect(fieldsOf(validateFolderInput(body))).toEqual(['name']);
    expect(
      fieldsOf(validateFolderInput({ name: 3, cvId: 5, letterText: 7, videoUrl: {}, letterFile: 'x' })),
    ).toEqual(['name', 'cvId', 'letterText', 'letterFile', 'videoUrl']);
  });

  it('refuses file names with paths or control characters', () => {
    for (const name of ['../cv.pdf', 'a\\b.pdf', 'cv\n.pdf', '', 'x'.repeat(201)])
      expect(fieldsOf(validateFolderInput({ name: 'D', cvFile: { sha256: SHA, name } }))).toEqual(['cvFile']);
  });
});

describe('parseVideoUrl', () => {
  it('recognises the known providers', () => {
    expect(videoProvider('https://www.youtube.com/watch?v=abc')).toBe('youtube');
    expect(videoProvider('https://youtu.be/abc')).toBe('youtube');
    expect(videoProvider('https://vimeo.com/123456')).toBe('vimeo');
    expect(videoProvider('https://player.vimeo.com/video/123')).toBe('vimeo');
    expect(videoProvider('https://www.dailymotion.com/video/x7tgad0')).toBe('dailymotion');
    expect(videoProvider('https://dai.ly/x7tgad0')).toBe('dailymotion');
    expect(videoProvider('https://videos.example.fr/ma-presentation')).toBe('autre');
  });

  it('accepts https only, without credentials and with a real host', () => {
    for (const bad of [
      'http://youtube.com/watch?v=1',
      'javascript:alert(1)',
      'https://user:pass@vimeo.com/1',
      'https://localhost/video',
      'https://exemple',
      'https://exa mple.com/v',
      'ftp://vimeo.com/1',
      'youtube.com/watch?v=1',
      `https://example.com/${'a'.repeat(500)}`,
    ])
      expect(parseVideoUrl(bad).ok, bad).toBe(false);
    expect(parseVideoUrl('  https://Vimeo.com/1  ')).toEqual({
      ok: true,
      url: 'https://vimeo.com/1',
      provider: 'vimeo',
    });
  });

  it('does not take a look-alike host for a provider', () => {
    expect(videoProvider('https://youtube.com.example.net/v')).toBe('autre');
    expect(videoProvider('https://notyoutube.com/v')).toBe('autre');
  });
});
