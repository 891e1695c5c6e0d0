import { assessmentInput, type RequestOverrides } from '../../testing/repair-ticket-fixtures.test-support';
import { assessWarranty } from './assess-warranty.policy';

/** The assessment of a unit delivered on `deliveryDate`, sold to the partner before that, failed and reported
 * on `failureDate`. */
export const delivered = (deliveryDate: string, failureDate: string, o: RequestOverrides = {}) =>
  assessWarranty(
    assessmentInput({
      ...o,
      unit: { deliveryDate, saleDate: '2024-01-15', ...o.unit },
      failure: { failureDate, ...o.failure },
      requestDate: failureDate,
    }),
  );
