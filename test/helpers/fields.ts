// A resource with one field of every type and rules of every kind, used by the generator snapshot
// and the end-to-end projects.
export const ALL_TYPES_FIELDS = [
  'title:string:required,max:120,min:3', 'body:text:nullable', 'views:integer:gte:0,default:0', 'big_count:bigint:nullable', 'rating:float:gt:0,lt:10',
  'price:decimal:required,gte:0', 'budget:money:nullable', 'discount:percent:default:0', 'published:boolean:default:false', 'published_at:datetime:nullable',
  'release_date:date:nullable', 'starts_at:time:default:09:30', 'contact_email:email:unique', 'website:url:nullable', 'external_id:uuid:unique',
  'meta:json:nullable', 'phone:phone:nullable', 'slug:slug:required,unique', 'client_ip:ip:nullable', 'color:color:default:#ff8800',
  'attachment:file:nullable', 'cover:image:nullable', 'user_id:integer:foreign:users.id',
];
