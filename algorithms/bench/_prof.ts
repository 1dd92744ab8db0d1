import { electionsWorkload } from './workload';
console.log(JSON.stringify(electionsWorkload(5000, 1, 'fast', () => performance.now())));
