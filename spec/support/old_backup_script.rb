# The users' old backup script, as they run it today, with only its two require lines
# changed ("flickraw" -> "photosync/flickraw", "exifr" -> "photosync/exifr").
require "photosync/flickraw"
require "photosync/exifr"
require "digest/md5"

FlickRaw.api_key = ENV["FLICKRAW_API_KEY"]
FlickRaw.shared_secret = ENV["FLICKRAW_SHARED_SECRET"]
flickr.access_token = ENV["FLICKRAW_ACCESS_TOKEN"]
flickr.access_secret = ENV["FLICKRAW_ACCESS_SECRET"]

Dir.glob(File.join(ARGV[0], "**", "*.{jpg,JPG,jpeg}")).sort.each do |path|
  md5 = Digest::MD5.file(path).hexdigest
  found = flickr.photos.search(user_id: "me", machine_tags: "checksum:md5=#{md5}")
  if found.size > 0
    puts "skip #{path} (#{found.first.id})"
    next
  end
  exif = EXIFR::JPEG.new(path)
  id = flickr.upload_photo(path, title: File.basename(path, ".*"), tags: "checksum:md5=#{md5} backup",
                                 is_public: 0, is_friend: 0, is_family: 1)
  if exif.exif? && exif.date_time_original
    flickr.photos.setDates(photo_id: id, date_taken: exif.date_time_original.strftime("%Y-%m-%d %H:%M:%S"))
  end
  puts "uploaded #{path} #{id}"
end
