import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, readConfig } from './config.js';

describe('readConfig', () => {
  it('defaults the API URL and accepts http and https URLs', () => {
    expect(readConfig({}).apiUrl.href).toBe(DEFAULT_API_URL);
    expect(readConfig({ API_URL: ' https://api.example.org/graphql ' }).apiUrl.href).toBe('https://api.example.org/graphql');
  });

  it('lists the bad keys', () => {
    expect(() => readConfig({ API_URL: 'not a url' })).toThrow(/API_URL is not a URL/);
    expect(() => readConfig({ API_URL: 'ftp://x/graphql' })).toThrow(/API_URL must be an http or https URL/);
  });
});
