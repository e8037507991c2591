-- Astronomy Shop database: users, the product catalog and the accounting
-- ledger (spec 2.20 and 7). Idempotent: safe to run on every start, as the
-- native runner does (psql -v ON_ERROR_STOP=1 -f init.sql, as the superuser).

-- Query statistics for the monitoring user (needs shared_preload_libraries).
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

-- DEMO-ONLY credentials. The passwords come from the environment psql runs
-- in (POSTGRES_ASTRONOMY_PASSWORD, POSTGRES_MONITORING_PASSWORD: .env, the
-- compose postgres service, the chart's Secret), with the upstream demo's
-- values as defaults; every run sets them, so a changed .env applies on the
-- next start.
\getenv astronomy_password POSTGRES_ASTRONOMY_PASSWORD
\if :{?astronomy_password}
\else
  \set astronomy_password astronomy_password
\endif
\getenv monitoring_password POSTGRES_MONITORING_PASSWORD
\if :{?monitoring_password}
\else
  \set monitoring_password monitoring_password
\endif
SELECT 'CREATE ROLE astronomy_user LOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'astronomy_user')
\gexec
SELECT 'CREATE ROLE monitoring_user LOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'monitoring_user')
\gexec
ALTER ROLE astronomy_user PASSWORD :'astronomy_password';
ALTER ROLE monitoring_user PASSWORD :'monitoring_password';
GRANT pg_monitor TO monitoring_user;

SELECT 'CREATE DATABASE astronomy_db OWNER astronomy_user'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'astronomy_db')
\gexec

\connect astronomy_db

CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
GRANT CONNECT ON DATABASE astronomy_db TO monitoring_user;

-- ---------------------------------------------------------------- catalog
CREATE SCHEMA IF NOT EXISTS catalog;

CREATE TABLE IF NOT EXISTS catalog.products (
  id                  TEXT PRIMARY KEY,
  name                TEXT NOT NULL,
  description         TEXT,
  picture             TEXT,
  price_currency_code TEXT NOT NULL,
  price_units         BIGINT NOT NULL,
  price_nanos         INT NOT NULL,
  categories          TEXT
);

INSERT INTO catalog.products
  (id, name, description, picture, price_currency_code, price_units, price_nanos, categories)
VALUES
  ('OLJCESPC7Z', 'National Park Foundation Explorascope',
   'A sturdy 60 mm refractor made for first nights under the stars: it sets up in minutes on its alt-azimuth mount, and a share of every sale supports America''s national parks.',
   'NationalParkFoundationExplorascope.jpg', 'USD', 101, 960000000, 'telescopes'),
  ('66VCHSJNUP', 'Starsense Explorer Refractor Telescope',
   'Dock your phone on this 80 mm refractor and its app recognises the sky overhead, then guides you with arrows to planets, nebulae and galaxies.',
   'StarsenseExplorer.jpg', 'USD', 349, 950000000, 'telescopes'),
  ('1YMWWN1N4O', 'Eclipsmart Travel Refractor Telescope',
   'A compact refractor with a certified solar filter and a backpack, ready to follow the next eclipse wherever it crosses the map.',
   'EclipsmartTravelRefractorTelescope.jpg', 'USD', 129, 950000000, 'telescopes,travel'),
  ('L9ECAV7KIM', 'Lens Cleaning Kit',
   'A soft brush, a blower and a microfibre cloth with a gentle cleaning fluid that lift dust and fingerprints off lenses and eyepieces without scratching their coatings.',
   'LensCleaningKit.jpg', 'USD', 21, 950000000, 'accessories'),
  ('2ZYFJ3GM2N', 'Roof Binoculars',
   'Light, waterproof roof-prism binoculars with bright, sharp optics: as good for sweeping the Milky Way as for birds in the afternoon.',
   'RoofBinoculars.jpg', 'USD', 209, 950000000, 'binoculars'),
  ('0PUK6V6EV0', 'Solar System Color Imager',
   'A colour camera that slides into the eyepiece holder and streams the Moon and planets to your computer, so you can capture, stack and share what you see.',
   'SolarSystemColorImager.jpg', 'USD', 175, 0, 'accessories,telescopes'),
  ('LS4PSXUNUM', 'Red Flashlight',
   'A dimmable red light that lets you read star charts and adjust your gear without spoiling the dark adaptation your eyes spent half an hour building.',
   'RedFlashlight.jpg', 'USD', 57, 80000000, 'accessories,flashlights'),
  ('9SIQT8TOJO', 'Optical Tube Assembly',
   'A large-aperture optical tube for the observer who already owns a mount: bolt it on and reach faint galaxies and tight double stars.',
   'OpticalTubeAssembly.jpg', 'USD', 3599, 0, 'accessories,telescopes,assembly'),
  ('6E92ZMYYFZ', 'Solar Filter',
   'A full-aperture filter that blocks all but a tiny, safe fraction of sunlight, turning your telescope into a window on sunspots and eclipses.',
   'SolarFilter.jpg', 'USD', 69, 950000000, 'accessories,telescopes'),
  ('HQTGWGPNH4', 'The Comet Book',
   'An illustrated guide to comets: where they come from, why their tails point away from the Sun, and how to find the next bright one yourself.',
   'TheCometBook.jpg', 'USD', 0, 990000000, 'books')
ON CONFLICT (id) DO NOTHING;

GRANT USAGE ON SCHEMA catalog TO astronomy_user;
GRANT SELECT ON ALL TABLES IN SCHEMA catalog TO astronomy_user;

-- ------------------------------------------------------------- accounting
CREATE SCHEMA IF NOT EXISTS accounting;

CREATE TABLE IF NOT EXISTS accounting."order" (
  order_id TEXT PRIMARY KEY
);

CREATE TABLE IF NOT EXISTS accounting.shipping (
  shipping_tracking_id        TEXT PRIMARY KEY,
  shipping_cost_currency_code TEXT NOT NULL,
  shipping_cost_units         BIGINT NOT NULL,
  shipping_cost_nanos         INT NOT NULL,
  street_address              TEXT,
  city                        TEXT,
  state                       TEXT,
  country                     TEXT,
  zip_code                    TEXT,
  order_id                    TEXT NOT NULL REFERENCES accounting."order" (order_id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS accounting.orderitem (
  item_cost_currency_code TEXT NOT NULL,
  item_cost_units         BIGINT NOT NULL,
  item_cost_nanos         INT NOT NULL,
  product_id              TEXT NOT NULL,
  quantity                INT NOT NULL,
  order_id                TEXT NOT NULL REFERENCES accounting."order" (order_id) ON DELETE CASCADE,
  PRIMARY KEY (order_id, product_id)
);

GRANT USAGE ON SCHEMA accounting TO astronomy_user;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA accounting TO astronomy_user;

GRANT USAGE ON SCHEMA catalog, accounting TO monitoring_user;
