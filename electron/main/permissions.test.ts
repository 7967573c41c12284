import { describe, expect, it } from 'vitest';
import { isPermissionAllowed } from './permissions';

const appOrigin = 'file:///opt/poste/out/renderer/';
const page = 'file:///opt/poste/out/renderer/index.html';

describe('isPermissionAllowed', () => {
  it('grants notifications to the app pages', () => {
    expect(isPermissionAllowed('notifications', page, appOrigin)).toBe(true);
  });

  it('denies notifications to other pages', () => {
    expect(isPermissionAllowed('notifications', 'https://evil.example/', appOrigin)).toBe(false);
    expect(isPermissionAllowed('notifications', undefined, appOrigin)).toBe(false);
  });

  it.each([
    'media',
    'geolocation',
    'clipboard-read',
    'openExternal',
    'usb',
    'hid',
    'display-capture',
    'unknown',
  ])('denies %s even to the app pages', (permission) => {
    expect(isPermissionAllowed(permission, page, appOrigin)).toBe(false);
  });
});
