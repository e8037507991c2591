import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADS_BY_CATEGORY, ALL_ADS, adsForCategory, randomAds } from '../src/ads.ts';

describe('ad inventory', () => {
  test('seven ads in five categories, each pointing at a product page', () => {
    assert.equal(ALL_ADS.length, 7);
    assert.deepEqual(Object.keys(ADS_BY_CATEGORY).sort(), [
      'accessories',
      'assembly',
      'binoculars',
      'telescopes',
      'travel',
    ]);
    for (const ad of ALL_ADS) assert.match(ad.redirectUrl, /^\/product\/[0-9A-Z]{10}$/);
  });

  test('categories map to the original ads', () => {
    assert.deepEqual(adsForCategory('binoculars'), [
      { redirectUrl: '/product/2ZYFJ3GM2N', text: 'Roof Binoculars for sale. 50% off.' },
    ]);
    assert.deepEqual(
      adsForCategory('accessories').map((ad) => ad.redirectUrl),
      ['/product/0PUK6V6EV0', '/product/6E92ZMYYFZ', '/product/L9ECAV7KIM'],
    );
    assert.equal(adsForCategory('travel')[0]?.redirectUrl, '/product/1YMWWN1N4O');
  });

  test('categories without ads, unknown ones and object-prototype names have none', () => {
    for (const category of ['books', 'flashlights', '', 'Telescopes', '__proto__', 'constructor']) {
      assert.deepEqual(adsForCategory(category), [], category);
    }
  });

  test('handing out a category does not let callers change the inventory', () => {
    adsForCategory('telescopes').pop();
    assert.equal(adsForCategory('telescopes').length, 1);
  });

  test('random ads: two, drawn with replacement from all seven', () => {
    assert.deepEqual(
      randomAds(() => 0),
      [ALL_ADS[0], ALL_ADS[0]],
    );
    assert.deepEqual(
      randomAds(() => 0.999),
      [ALL_ADS[6], ALL_ADS[6]],
    );
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) for (const ad of randomAds()) seen.add(ad.redirectUrl);
    assert.equal(seen.size, 7);
  });
});
