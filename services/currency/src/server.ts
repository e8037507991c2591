import { type CurrencyServiceServer, CurrencyServiceService } from '@astroshop/proto';
import { type GrpcService, type Logger, unary } from '@astroshop/service-kit';
import { ATTR, activeSpan, METRIC } from '@astroshop/telemetry';
import { metrics } from '@opentelemetry/api';
import { convertMoney, SUPPORTED_CURRENCIES } from './currency.ts';

export function currencyService(logger: Logger): GrpcService {
  const conversions = metrics.getMeter('currency').createCounter(METRIC.exchangeConversions, {
    unit: '{conversion}',
    description: 'Currency conversions performed',
  });

  const implementation: CurrencyServiceServer = {
    getSupportedCurrencies: unary(logger, () => {
      activeSpan()?.addEvent('Currencies fetched, response sent back');
      return { currencyCodes: [...SUPPORTED_CURRENCIES] };
    }),

    convert: unary(logger, ({ from, toCode }) => {
      const span = activeSpan();
      span?.setAttributes({ [ATTR.exchangeFrom]: from?.currencyCode ?? '', [ATTR.exchangeTo]: toCode });
      const result = convertMoney(from, toCode);
      conversions.add(1, { [ATTR.exchangeTo]: toCode });
      span?.addEvent('Conversion successful, response sent back');
      logger.debug({ 'currency.from': from?.currencyCode, 'currency.to': toCode }, 'conversion successful');
      return result;
    }),
  };

  return { definition: CurrencyServiceService, implementation, name: 'oteldemo.CurrencyService' };
}
